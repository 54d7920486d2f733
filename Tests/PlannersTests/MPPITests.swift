import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

@Suite("MPPI planner")
struct MPPITests {
    static let map = TaskSpaceMap.coordinates(x: 0, y: 1)

    static func task(goal: SIMD2<Float>, obstacles: [Obstacle] = []) -> CompositeCost {
        CompositeCost([
            GoalCost(goal: goal, weight: 10, power: 4, map: map),
            SmoothnessCost(velocityWeight: 0.1, accelerationWeight: 0.01),
            ObstacleCost(obstacles: obstacles, weight: 1000, margin: 0.05, map: map),
        ])
    }

    static func planner(goal: SIMD2<Float>, obstacles: [Obstacle] = [],
                        configuration: MPPIPlannerConfiguration = MPPIPlannerConfiguration()) -> MPPIPlanner {
        MPPIPlanner(configuration: configuration, model: ReachEnergy(), taskCost: task(goal: goal, obstacles: obstacles),
                    inverseDynamics: EnvironmentInverseDynamics(Particle()))
    }

    /// A written independently of the planner from its definition: second differences with
    /// zero history, row T zeroed, last row δ_T−2 − δ_T−1.
    static func precision(horizon t: Int) -> [[Double]] {
        var a = [[Double]](repeating: [Double](repeating: 0, count: t), count: t + 2)
        for r in 0..<(t + 2) {
            for (offset, v) in [1.0, -2.0, 1.0].enumerated() where r - offset >= 0 && r - offset < t {
                a[r][r - offset] = v
            }
        }
        a[t] = [Double](repeating: 0, count: t)
        a[t + 1] = [Double](repeating: 0, count: t)
        a[t + 1][t - 2] = 1
        a[t + 1][t - 1] = -1
        return (0..<t).map { i in (0..<t).map { j in (0..<(t + 2)).reduce(0) { $0 + a[$1][i] * a[$1][j] } } }
    }

    /// Solves P·X = I by Gaussian elimination with back substitution.
    static func inverse(_ p: [[Double]]) -> [[Double]] {
        let n = p.count
        var m = (0..<n).map { i in p[i] + (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for c in 0..<n {
            let pivot = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, pivot)
            for r in (c + 1)..<n {
                let f = m[r][c] / m[c][c]
                for j in c..<(2 * n) { m[r][j] -= f * m[c][j] }
            }
        }
        var x = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for col in 0..<n {
            for r in stride(from: n - 1, through: 0, by: -1) {
                var s = m[r][n + col]
                for j in (r + 1)..<n { s -= m[r][j] * x[j][col] }
                x[r][col] = s / m[r][r]
            }
        }
        return x
    }

    @Test func smoothNoiseHasTheIntendedCovariance() {
        let t = 20, draws = 20_000
        let sigma = Float(1e-5).squareRoot()
        let expected = Self.inverse(Self.precision(horizon: t)).map { $0.map { Double(sigma * sigma) * $0 } }
        let noise = SmoothNoise(horizon: t)
        var rng = RNG(seed: 11)
        var sums = [Double](repeating: 0, count: t * t)
        for _ in 0..<draws {
            let x = noise.sample(scale: sigma, rng: &rng).map(Double.init)
            for i in 0..<t { for j in 0...i { sums[i * t + j] += x[i] * x[j] } }
        }
        var worst = 0.0
        for i in 0..<t {
            for j in 0...i {
                let estimate = sums[i * t + j] / Double(draws)
                // Std of a sample covariance of a zero-mean Gaussian pair.
                let se = ((expected[i][i] * expected[j][j] + expected[i][j] * expected[i][j]) / Double(draws)).squareRoot()
                worst = max(worst, abs(estimate - expected[i][j]) / se)
            }
        }
        #expect(worst < 5, "largest deviation \(worst) standard errors")
        // The seed code's per-step std for T = 20 and σ² = 1e-5 (reference §4.2).
        #expect(abs(expected[0][0].squareRoot() - 0.0031) < 0.0001)
        #expect(abs(expected[t - 1][t - 1].squareRoot() - 0.0877) < 0.0005)
    }

    @Test func theChosenPlanNeverGetsMoreExpensive() {
        var configuration = MPPIPlannerConfiguration(iterations: 5, warmIterations: 2)
        configuration.temperature = 5
        var planner = Self.planner(goal: SIMD2(0.5, 0.5), configuration: configuration)
        let cost = CompositeCost([ReachEnergy(), Self.task(goal: SIMD2(0.5, 0.5))])
        var rng = RNG(seed: 12)
        let start: [Float] = [-0.3, 0.1]
        var previous = Float.infinity
        var first = Float.infinity
        for call in 0..<15 {
            // Replanning from the same state without executing: the incumbent stays a candidate.
            planner.optimize(from: start, executedSteps: 0, rng: &rng)
            let value = cost.cost(planner.bestPlan.reshaped([1, 21, 2]))[0]
            #expect(value <= previous, "call \(call): \(value) after \(previous)")
            let trace = planner.iterationCosts
            #expect(zip(trace, trace.dropFirst()).allSatisfy { $1 <= $0 }, "call \(call): \(trace)")
            if call == 0 { first = value }
            previous = value
        }
        #expect(previous < 0.5 * first, "cost \(first) → \(previous)")
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

    @Test func warmStartShiftsByTheExecutedSteps() {
        var planner = Self.planner(goal: SIMD2(0.5, 0.5))
        var rng = RNG(seed: 5)
        planner.optimize(from: [0, 0], executedSteps: 0, rng: &rng)
        let previous = planner.bestPlan
        planner.configuration.warmIterations = 0
        let k = 3
        let now: [Float] = [0.01, 0.02]
        planner.optimize(from: now, executedSteps: k, rng: &rng)
        #expect(planner.bestPlan.row(0) == now)
        for step in 1...20 {
            #expect(planner.bestPlan.row(step) == previous.row(min(step + k, 20)), "step \(step)")
        }
    }

    @Test func sameSeedSamePlan() {
        func plan() -> (Tensor, Tensor) {
            var planner = Self.planner(goal: SIMD2(0.5, 0.5))
            var rng = RNG(seed: 6)
            planner.optimize(from: [0.1, -0.1], executedSteps: 0, rng: &rng)
            return (planner.sampledPlans, planner.bestPlan)
        }
        let (a, b) = (plan(), plan())
        #expect(a.0 == b.0 && a.1 == b.1)
    }
}
