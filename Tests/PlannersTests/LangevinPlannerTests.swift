import EBMCore
import EBMEnvironments
import EBMPlanners
import Testing

/// A hand-set particle energy: free within the particle's reach per step (0.05 per
/// coordinate), steeply rising beyond it — the dynamics written down instead of learned.
struct ReachEnergy: TaskCost {
    var weight: Float = 100

    func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        let shape = PlanShape(of: plans)
        let (b, t, d) = (shape.chains, shape.horizon, shape.stateDimension)
        var costs = [Float](repeating: 0, count: b)
        var g = Tensor(zeros: plans.shape)
        for c in 0..<b {
            for k in 0..<t {
                for i in 0..<d {
                    let o = (c * (t + 1) + k) * d + i
                    let delta = plans.scalars[o + d] - plans.scalars[o]
                    let excess = abs(delta) - 0.045
                    guard excess > 0 else { continue }
                    costs[c] += weight * excess * excess
                    let s: Float = delta > 0 ? 1 : -1
                    g.scalars[o + d] += 2 * weight * excess * s
                    g.scalars[o] -= 2 * weight * excess * s
                }
            }
        }
        return (costs, g)
    }
}

@Suite("Langevin planner")
struct LangevinPlannerTests {
    static func planner(goal: SIMD2<Float>, obstacles: [Obstacle] = []) -> LangevinPlanner {
        let map = TaskSpaceMap.coordinates(x: 0, y: 1)
        let task = CompositeCost([
            GoalCost(goal: goal, weight: 10, power: 4, map: map),
            SmoothnessCost(velocityWeight: 0.1, accelerationWeight: 0.01),
            ObstacleCost(obstacles: obstacles, weight: 1000, margin: 0.05, map: map),
        ])
        let configuration = LangevinPlannerConfiguration(chains: 8, horizon: 20, iterations: 200, warmIterations: 30,
                                                         stepSize: .constant(2e-3))
        return LangevinPlanner(configuration: configuration, model: ReachEnergy(), taskCost: task,
                               inverseDynamics: EnvironmentInverseDynamics(Particle()))
    }

    @Test func aPlanWithAHandSetEnergyReachesTheGoalInClosedLoop() throws {
        var env = Particle()
        try env.reset(seed: 1, start: [-0.6, -0.5], goal: [0.5, 0.4])
        var controller = MPCController(planner: Self.planner(goal: SIMD2(0.5, 0.4)))
        var rng = RNG(seed: 2)
        let outcome = try EpisodeRunner.run(&env, controller: &controller, rng: &rng)
        #expect(outcome.success, "final state \(env.state)")
        #expect(outcome.steps < 40, "steps \(outcome.steps); the straight line needs ≈ 23")
    }

    @Test func plansRespectTheEnergyAndTheGoal() {
        var planner = Self.planner(goal: SIMD2(0.5, 0.5))
        var rng = RNG(seed: 3)
        planner.optimize(from: [0, 0], executedSteps: 0, rng: &rng)
        let plan = planner.bestPlan
        #expect(plan.row(0) == [0, 0])
        for k in 0..<20 {
            let a = plan.row(k), b = plan.row(k + 1)
            #expect(max(abs(b[0] - a[0]), abs(b[1] - a[1])) < 0.06, "step \(k): \(a) → \(b)")
        }
        let last = plan.row(20)
        #expect(abs(last[0] - 0.5) < 0.1 && abs(last[1] - 0.5) < 0.1, "end \(last)")
        #expect(planner.sampledPlans.shape == [8, 21, 2])
        #expect(planner.sampledCosts.count == 8)
    }

    @Test func plansGoAroundAnObstacleGivenAsCost() throws {
        var planner = Self.planner(goal: SIMD2(0.5, 0), obstacles: [try Obstacle([-0.2, -0.3, 0.2, 0.3])])
        var rng = RNG(seed: 4)
        planner.optimize(from: [-0.5, 0], executedSteps: 0, rng: &rng)
        for k in 0...20 {
            let s = planner.bestPlan.row(k)
            #expect(!(abs(s[0]) < 0.2 && abs(s[1]) < 0.3), "state \(k) inside the obstacle: \(s)")
        }
    }

    @Test func warmStartShiftsByTheExecutedSteps() {
        var planner = Self.planner(goal: SIMD2(0.5, 0.5))
        var rng = RNG(seed: 5)
        planner.optimize(from: [0, 0], executedSteps: 0, rng: &rng)
        let previous = planner.sampledPlans
        // No further iterations: the new plans are exactly the shifted old ones.
        planner.configuration.warmIterations = 0
        planner.configuration.refreshFraction = 0
        let k = 3
        let now: [Float] = [0.01, 0.02]
        planner.optimize(from: now, executedSteps: k, rng: &rng)
        let shifted = planner.sampledPlans
        let (t, d) = (20, 2)
        for b in 0..<8 {
            #expect(Array(shifted.scalars[(b * (t + 1)) * d..<(b * (t + 1) + 1) * d]) == now)
            for step in 1...t {
                let source = min(step + k, t)
                for i in 0..<d {
                    #expect(shifted.scalars[(b * (t + 1) + step) * d + i] == previous.scalars[(b * (t + 1) + source) * d + i])
                }
            }
        }
    }

    @Test func sameSeedSamePlan() {
        func plan() -> Tensor {
            var planner = Self.planner(goal: SIMD2(0.5, 0.5))
            var rng = RNG(seed: 6)
            planner.optimize(from: [0.1, -0.1], executedSteps: 0, rng: &rng)
            return planner.sampledPlans
        }
        #expect(plan() == plan())
    }
}
