import EBMCore
import EBMEnvironments

/// Per-environment planning defaults (SPEC §6): the goal-space map, the task-cost weights and
/// the Langevin planner's settings that the embedded models are evaluated with.
public struct PlanningPreset: Sendable {
    public var map: TaskSpaceMap
    /// w_g (10 at evaluation in the seed code) and p of the time weight (t/T)^p.
    public var goalWeight: Float = 10
    public var goalPower: Float = 4
    public var goalDistance: GoalCost.Distance = .squared
    public var velocityWeight: Float = 0.1
    public var accelerationWeight: Float = 0.01
    /// State coordinates the smoothness terms cover (nil: all).
    public var smoothCoordinates: [Int]?
    public var obstacleWeight: Float = 1000
    public var obstacleMargin: Float = 0.05
    /// Largest move per step and coordinate of `map`'s coordinates that the actuator allows
    /// (nil: no step limit), and the weight of the hinge on longer planned steps (`StepLimitCost`).
    public var stepReach: Float?
    public var stepLimitWeight: Float = 0
    /// Weight of the learned energy against the task cost.
    public var energyWeight: Float = 1
    /// Price only the energy above the model's feasible level (`TransitionEnergyCost`).
    public var energyAsConstraint = false
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
            if kind == .particle && planner == .langevin {
                // Measurements below: 20-episode harness runs with the candidate embedded model
                // (/tmp/emb/particle.safetensors), free and with the -0.2,-0.2,0.2,0.2 obstacle.
                // The learned energy is flat beyond the reach, so without this hinge plans jump
                // past the obstacle's corners and the clipped steps along them are blocked
                // (obstacle: 65 % success, 420 blocked steps → 90 %, 0 blocked with it).
                // 0.05: the particle moves at most a/20 per coordinate (SPEC §4).
                preset.stepReach = 0.05
                preset.stepLimitWeight = 1000
                // 10 → 30: 90 → 95 % with the obstacle (the last hundredths converge faster);
                // 100 overpowers the obstacle (65 %, plans through the face).
                preset.goalWeight = 30
                // Margin 0.1 with weight 3e4: 0 blocked steps; margins 0.05 / 0.07 / 0.085 leave
                // 4 / 3 / 1 episodes pressed against the face, weights 3e3 / 1e4 at 0.05 worse still.
                // Its cost: goals within ≈ 0.07 of a face end ≈ 0.03 short (the remaining failures).
                preset.obstacleMargin = 0.1
                preset.obstacleWeight = 3e4
                // ε 1e-3 is unstable against the stiff obstacle; 1e-4 needs 60 warm iterations
                // (≈ 30 ms a step). 32 chains or horizon 30 measured no better (90 %).
                preset.langevin = LangevinPlannerConfiguration(chains: 16, horizon: 20, iterations: 80, warmIterations: 60,
                                                               stepSize: .constant(1e-4))
            } else {
                preset.langevin = LangevinPlannerConfiguration(chains: 16, horizon: 20, iterations: 80, warmIterations: 20,
                                                               stepSize: .constant(1e-3))
            }
            if kind == .maze && planner == .langevin {
                // The S-path defeats local descent: a roadmap over the learned energy finds the way
                // around the walls and says when the goal can be reached (20-episode harness runs,
                // model trained by the README command: 0 % → 100 % success).
                // The energy is a constraint (cost only above the level 90 % of observed moves stay
                // under), weighted 10: as a plain sum its small preferences among free moves — waiting,
                // stepping back and forth — outweighed the goal over 80 steps and plans stalled.
                // The pseudo-Huber goal keeps pulling near the goal, where r² fades.
                preset.goalWeight = 30
                preset.goalPower = 4
                preset.goalDistance = .pseudoHuber(delta: 0.01)
                preset.energyWeight = 10
                preset.energyAsConstraint = true
                preset.stepReach = 0.05
                preset.stepLimitWeight = 1000
                preset.langevin = LangevinPlannerConfiguration(
                    chains: 16, horizon: 80, iterations: 80, warmIterations: 20, stepSize: .constant(1e-4),
                    roadmap: Roadmap(lower: [-1, -1], upper: [1, 1], spacing: 0.05))
            }
            if planner == .mppi { preset.goalWeight = 100 }
        case .reacher:
            preset = PlanningPreset(map: .fingertip(link1: 0.1, link2: 0.11))
            preset.smoothCoordinates = [0, 1]
            if planner == .langevin {
                // Chosen by 20-episode sweeps of the closed loop (distance and control sums apart),
                // then checked on the 100 evaluation episodes: 95 %, return −4.29.
                // The fingertip is metres from a 0.2 m goal: w_g 3000 makes its pull comparable to
                // the energy's (10 left the plans where they started); p = 1 (p = 0 arrives sooner
                // but doubles the control cost, p = 2 is slower).
                preset.goalWeight = 3000
                preset.goalPower = 1
                // Smoothness on the speeds too: their change is the torque, which the reward charges.
                preset.velocityWeight = 0.3
                preset.smoothCoordinates = nil
                // Speeds move ≈ 4 rad/s per step against the angles' 0.04 rad: they take Langevin
                // steps 17.5² times larger, 17.5 = 7 / 0.4 being the ratio of the energy's delta
                // scales for angles and speeds (the frame training negatives are sampled in; 8 and
                // 30 measured worse). Softmin over the chains (λ 10) averages the plans' jitter out
                // of the executed step: control cost per episode 2.01 → 0.92 (100 episodes).
                preset.langevin = LangevinPlannerConfiguration(chains: 16, horizon: 20, iterations: 80, warmIterations: 20,
                                                               stepSize: .constant(1e-4), selection: .softmin(temperature: 10),
                                                               stateScales: [1, 1, 17.5, 17.5])
            }
            // Measured with the oracle: 20/20 successes, mean return −3.63 over Reacher-v5 resets.
            preset.cem = CEMPlannerConfiguration(horizon: 12, initialStd: 0.1, minimumStd: 0.01, actionCostWeight: 0.1)
        }
        return preset
    }

    /// The task cost of an episode: reach `goal`, move smoothly, stay out of `obstacles`.
    public func taskCost(goal: SIMD2<Double>, obstacles: [Obstacle]) -> CompositeCost {
        var terms: [any TaskCost] = [
            GoalCost(goal: SIMD2(Float(goal.x), Float(goal.y)), weight: goalWeight, power: goalPower, map: map, distance: goalDistance),
            SmoothnessCost(velocityWeight: velocityWeight, accelerationWeight: accelerationWeight, coordinates: smoothCoordinates),
        ]
        if let stepReach, stepLimitWeight > 0, case let .coordinates(x, y) = map {
            terms.append(StepLimitCost(reach: stepReach, weight: stepLimitWeight, coordinates: [x, y]))
        }
        if !obstacles.isEmpty {
            terms.append(ObstacleCost(obstacles: obstacles, weight: obstacleWeight, margin: obstacleMargin, map: map))
        }
        return CompositeCost(terms)
    }
}
