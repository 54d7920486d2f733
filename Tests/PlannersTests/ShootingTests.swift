import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

@Suite("Shooting planners")
struct ShootingTests {
    static let map = TaskSpaceMap.coordinates(x: 0, y: 1)

    static func task(goal: SIMD2<Float>, obstacles: [Obstacle] = [], map: TaskSpaceMap = map, power: Float = 4) -> CompositeCost {
        CompositeCost([
            GoalCost(goal: goal, weight: 10, power: power, map: map),
            ObstacleCost(obstacles: obstacles, weight: 1000, margin: 0.05, map: map),
        ])
    }

    struct Outcome {
        var success = false
        var steps = 0
        var blocked = 0
        var distance = Double.infinity
        var totalReward = 0.0
    }

    /// One closed-loop episode: plan, act, replan every step warm-started.
    static func episode<E: Environment, P: Planner>(_ env: inout E, planner: P, seed: UInt64) throws -> Outcome {
        var controller = MPCController(planner: planner)
        var rng = RNG(seed: seed)
        var outcome = Outcome()
        while true {
            let state = E.array(env.state).map(Float.init)
            let result = try env.step(controller.action(for: state, rng: &rng).map(Double.init))
            outcome.steps += 1
            outcome.totalReward += result.reward
            if result.info.blocked { outcome.blocked += 1 }
            outcome.distance = result.info.distance
            outcome.success = result.info.success
            if result.done { break }
        }
        return outcome
    }

    /// Every state counts (power 0): with the late-weighted (t/T)^4 cost the first action of a
    /// sequence that reaches the goal anyway is nearly free, and CEM's noisy first actions
    /// take ≈ 45 steps on average instead of ≈ 26.
    @Test func oracleCEMReachesAParticleGoal() throws {
        var env = Particle()
        try env.reset(seed: 1, start: [-0.6, -0.5], goal: [0.5, 0.4])
        let planner = CEMPlanner.oracle(environment: Particle(), taskCost: Self.task(goal: SIMD2(0.5, 0.4), power: 0))
        let outcome = try Self.episode(&env, planner: planner, seed: 2)
        #expect(outcome.success, "final distance \(outcome.distance)")
        #expect(outcome.steps < 35, "steps \(outcome.steps); the straight line needs ≈ 23")
    }

    @Test func oracleCEMGoesAroundAnObstacleGivenOnlyAsCost() throws {
        let obstacle = try Obstacle([-0.2, -0.2, 0.2, 0.2])
        var env = Particle()
        try env.reset(seed: 3, start: [-0.6, 0.05], goal: [0.6, -0.05], obstacles: [obstacle])
        // The planner's simulator has no obstacle: only the cost keeps the plans out of it.
        let planner = CEMPlanner.oracle(environment: Particle(),
                                        taskCost: Self.task(goal: SIMD2(0.6, -0.05), obstacles: [obstacle]))
        let outcome = try Self.episode(&env, planner: planner, seed: 4)
        #expect(outcome.success, "final distance \(outcome.distance)")
        #expect(outcome.blocked == 0, "blocked steps \(outcome.blocked)")
    }

    @Test func oracleCEMReachesAReacherGoalThroughTheFingertip() throws {
        var env = Reacher()
        try env.reset(seed: 5, start: nil, goal: [0.1, 0.12])
        let p = env.dynamics.parameters
        let tip = TaskSpaceMap.fingertip(link1: Float(p.linkLength), link2: Float(p.fingertipOffset))
        // The motors are strong (200·u on armature 1): small, quiet actions keep ‖u‖² low.
        let configuration = CEMPlannerConfiguration(horizon: 12, initialStd: 0.1, minimumStd: 0.01, actionCostWeight: 0.1)
        let planner = CEMPlanner.oracle(environment: Reacher(), taskCost: Self.task(goal: SIMD2(0.1, 0.12), map: tip),
                                        configuration: configuration)
        let outcome = try Self.episode(&env, planner: planner, seed: 6)
        #expect(outcome.steps == 50)
        #expect(outcome.distance < 0.02, "final fingertip distance \(outcome.distance)")
        #expect(outcome.totalReward > -4.5, "return \(outcome.totalReward)")
    }

    /// With the plain goal cost the oracle stalls at wall A at any horizon (the S-path's detour
    /// raises the cost of every intermediate state); given the two gaps as waypoints it solves
    /// the maze.
    @Test func oracleCEMSolvesTheMazeThroughWaypoints() throws {
        var env = Maze()
        try env.reset(seed: 0)
        let waypoints: [SIMD2<Float>] = [[-0.25, 0.5], [0.25, -0.5], [0.7, -0.8]]
        var current = 0
        var controller = MPCController(planner: CEMPlanner.oracle(environment: Maze(), taskCost: Self.task(goal: waypoints[0])))
        var rng = RNG(seed: 7)
        var blocked = 0
        var result: StepResult<SIMD2<Double>>
        repeat {
            let s = Maze.array(env.state).map(Float.init)
            if current < waypoints.count - 1,
               max(abs(s[0] - waypoints[current].x), abs(s[1] - waypoints[current].y)) < 0.1 {
                current += 1
                controller.planner.taskCost = Self.task(goal: waypoints[current])
            }
            result = try env.step(controller.action(for: s, rng: &rng).map(Double.init))
            if result.info.blocked { blocked += 1 }
        } while !result.done
        #expect(result.info.success, "final state \(env.state) after \(env.steps) steps")
        #expect(blocked == 0, "blocked steps \(blocked)")
    }

    @Test func warmStartShiftsTheActionsByTheExecutedSteps() {
        var planner = CEMPlanner.oracle(environment: Particle(), taskCost: Self.task(goal: SIMD2(0.5, 0.5)))
        var rng = RNG(seed: 8)
        planner.optimize(from: [0, 0], executedSteps: 0, rng: &rng)
        let previous = planner.bestActions
        planner.configuration.warmIterations = 0
        let k = 3
        let now: [Float] = [0.15, 0.14]
        planner.optimize(from: now, executedSteps: k, rng: &rng)
        for step in 0..<20 {
            #expect(planner.bestActions.row(step) == previous.row(min(step + k, 19)), "step \(step)")
            #expect(planner.action(from: now, alongStep: step) == planner.bestActions.row(step))
        }
        // The plan is the shifted sequence rolled out from the new state by the true dynamics.
        var state = now
        #expect(planner.bestPlan.row(0) == now)
        for step in 0..<20 {
            let a = planner.bestActions.row(step)
            let next = Particle().next(SIMD2(Double(state[0]), Double(state[1])), SIMD2(Double(a[0]), Double(a[1])))
            state = [Float(next.x), Float(next.y)]
            let planned = planner.bestPlan.row(step + 1)
            #expect(abs(planned[0] - state[0]) < 1e-5 && abs(planned[1] - state[1]) < 1e-5, "step \(step)")
        }
    }

    @Test func sameSeedSamePlansOnAnyNumberOfThreads() {
        func plans(threads: Int) -> (Tensor, Tensor, Tensor) {
            let configuration = CEMPlannerConfiguration(threads: threads)
            var cem = CEMPlanner.oracle(environment: Particle(), taskCost: Self.task(goal: SIMD2(0.5, 0.5)),
                                        configuration: configuration)
            var shooting = RandomShootingPlanner(configuration: RandomShootingConfiguration(threads: threads),
                                                 dynamics: SimulatorDynamics(Particle()), taskCost: Self.task(goal: SIMD2(0.5, 0.5)))
            var rng = RNG(seed: 9)
            cem.optimize(from: [0.1, -0.1], executedSteps: 0, rng: &rng)
            cem.optimize(from: [0.12, -0.08], executedSteps: 1, rng: &rng)
            shooting.optimize(from: [0.1, -0.1], executedSteps: 0, rng: &rng)
            return (cem.sampledPlans, cem.bestActions, shooting.sampledPlans)
        }
        let (a, b, c) = (plans(threads: 1), plans(threads: 1), plans(threads: 2))
        #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2)
        #expect(a.0 == c.0 && a.1 == c.1 && a.2 == c.2)
    }

    @Test func randomShootingReachesAParticleGoal() throws {
        var env = Particle()
        try env.reset(seed: 1, start: [-0.6, -0.5], goal: [0.5, 0.4])
        let planner = RandomShootingPlanner(dynamics: SimulatorDynamics(Particle()), taskCost: Self.task(goal: SIMD2(0.5, 0.4)))
        let outcome = try Self.episode(&env, planner: planner, seed: 10)
        #expect(outcome.success, "final distance \(outcome.distance)")
    }

    /// A linear network that outputs a/20: the particle's step away from walls and borders.
    static func stepNetwork() -> Network {
        let network = Network(NetworkConfig(inputShape: [4], layers: [.linear(outputs: 2, spectralNorm: false)]), seed: 0)
        let linear = network.layers[0] as! Linear
        linear.weight.value = Tensor(shape: [4, 2], scalars: [0, 0, 0, 0, 0.05, 0, 0, 0.05])
        linear.bias.value = Tensor(shape: [2], scalars: [0, 0])
        network.parametersDidChange()
        return network
    }

    @Test func learnedDynamicsFollowsItsOutputConvention() {
        let states = Tensor(shape: [2, 2], scalars: [0.1, 0.2, -0.3, 0.4])
        let actions = Tensor(shape: [2, 2], scalars: [1, -1, 0.5, 0])
        let step = LearnedDynamics(network: Self.stepNetwork(), predictsStep: true)
        let direct = LearnedDynamics(network: Self.stepNetwork(), predictsStep: false)
        #expect(step.stateDimension == 2 && step.actionDimension == 2)
        let expected: [Float] = [0.15, 0.15, -0.275, 0.4]
        for (x, y) in zip(step.next(states, actions).scalars, expected) { #expect(abs(x - y) < 1e-6) }
        for (x, y) in zip(direct.next(states, actions).scalars, [Float]([0.05, -0.05, 0.025, 0])) { #expect(abs(x - y) < 1e-6) }
        // A learned model that is exact plans like the oracle.
        var learned = CEMPlanner(dynamics: step.replica(), taskCost: Self.task(goal: SIMD2(0.5, 0.5)))
        var oracle = CEMPlanner.oracle(environment: Particle(), taskCost: Self.task(goal: SIMD2(0.5, 0.5)))
        var r1 = RNG(seed: 11), r2 = RNG(seed: 11)
        learned.optimize(from: [0, 0], executedSteps: 0, rng: &r1)
        oracle.optimize(from: [0, 0], executedSteps: 0, rng: &r2)
        let gap = zip(learned.bestPlan.scalars, oracle.bestPlan.scalars).map { abs($0 - $1) }.max()!
        #expect(gap < 1e-4, "largest state difference \(gap)")
    }
}
