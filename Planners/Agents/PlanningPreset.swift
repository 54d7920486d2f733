import EBMCore
import EBMEnvironments

/// Per-environment planning defaults (SPEC §6): the goal-space map, the task-cost weights and
/// the Langevin planner's settings that the embedded models are evaluated with.
public struct PlanningPreset: Sendable {
    public var map: TaskSpaceMap
    /// w_g (10 at evaluation in the seed code) and p of the time weight (t/T)^p.
    public var goalWeight: Float = 10
    public var goalPower: Float = 4
    public var velocityWeight: Float = 0.1
    public var accelerationWeight: Float = 0.01
    /// State coordinates the smoothness terms cover (nil: all).
    public var smoothCoordinates: [Int]?
    public var obstacleWeight: Float = 1000
    public var obstacleMargin: Float = 0.05
    /// Weight of the learned energy against the task cost.
    public var energyWeight: Float = 1
    public var langevin = LangevinPlannerConfiguration()
    public var mppi = MPPIPlannerConfiguration()
    public var cem = CEMPlannerConfiguration()
    public var randomShooting = RandomShootingConfiguration()
    /// nil: replan every control step.
    public var replanThreshold: Float?

    public init(map: TaskSpaceMap) {
        self.map = map
    }

    /// The defaults for `planner` in `kind` (weights differ between gradient and sampling
    /// planners, and between state- and action-space ones).
    public static func standard(for kind: EnvironmentKind, planner: PlannerKind = .langevin) -> PlanningPreset {
        var preset: PlanningPreset
        switch kind {
        case .particle, .maze:
            preset = PlanningPreset(map: .coordinates(x: 0, y: 1))
            // Uniform time weights: with (t/T)^4 the first planned states barely feel the goal
            // and the last few hundredths take many steps (measured: 30 % vs 100 % success).
            preset.goalPower = 0
            preset.langevin = LangevinPlannerConfiguration(chains: 16, horizon: 20, iterations: 80, warmIterations: 20,
                                                           stepSize: .constant(1e-3))
            if planner == .mppi { preset.goalWeight = 100 }
        case .reacher:
            preset = PlanningPreset(map: .fingertip(link1: 0.1, link2: 0.11))
            preset.smoothCoordinates = [0, 1]
            preset.langevin = LangevinPlannerConfiguration(chains: 16, horizon: 20, iterations: 80, warmIterations: 20,
                                                           stepSize: .constant(1e-4))
            // Measured with the oracle: 20/20 successes, mean return −3.63 over Reacher-v5 resets.
            preset.cem = CEMPlannerConfiguration(horizon: 12, initialStd: 0.1, minimumStd: 0.01, actionCostWeight: 0.1)
        }
        return preset
    }

    /// The task cost of an episode: reach `goal`, move smoothly, stay out of `obstacles`.
    public func taskCost(goal: SIMD2<Double>, obstacles: [Obstacle]) -> CompositeCost {
        var terms: [any TaskCost] = [
            GoalCost(goal: SIMD2(Float(goal.x), Float(goal.y)), weight: goalWeight, power: goalPower, map: map),
            SmoothnessCost(velocityWeight: velocityWeight, accelerationWeight: accelerationWeight, coordinates: smoothCoordinates),
        ]
        if !obstacles.isEmpty {
            terms.append(ObstacleCost(obstacles: obstacles, weight: obstacleWeight, margin: obstacleMargin, map: map))
        }
        return CompositeCost(terms)
    }
}
