import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

/// Central finite differences of a task cost in Double-free Float32, with tolerances that
/// still catch a wrong sign or a missing term.
func finiteDifferenceMismatches(_ cost: any TaskCost, plans: Tensor, epsilon: Float = 1e-3) -> [String] {
    let (_, g) = cost.costAndGradient(plans)
    var problems: [String] = []
    for i in plans.scalars.indices {
        var p = plans, m = plans
        p.scalars[i] += epsilon
        m.scalars[i] -= epsilon
        let numeric = (cost.cost(p).reduce(0, +) - cost.cost(m).reduce(0, +)) / (2 * epsilon)
        let analytic = g.scalars[i]
        if abs(numeric - analytic) > 2e-2 * max(abs(numeric), abs(analytic)) + 2e-2 {
            problems.append("[\(i)] analytic \(analytic) vs numeric \(numeric)")
        }
    }
    return problems
}

func randomPlans(chains: Int, horizon: Int, dimension: Int, seed: UInt64, scale: Float = 0.5) -> Tensor {
    var rng = RNG(seed: seed)
    return Tensor(shape: [chains, horizon + 1, dimension],
                  scalars: (0..<(chains * (horizon + 1) * dimension)).map { _ in scale * rng.uniform(-1, 1) })
}

@Suite("Task costs")
struct CostGradientTests {
    @Test func goalCostOnCoordinates() {
        let cost = GoalCost(goal: SIMD2(0.3, -0.2), weight: 10, power: 4, map: .coordinates(x: 0, y: 1))
        #expect(finiteDifferenceMismatches(cost, plans: randomPlans(chains: 3, horizon: 5, dimension: 2, seed: 1)).isEmpty)
    }

    @Test func goalCostThroughTheFingertip() {
        let cost = GoalCost(goal: SIMD2(0.1, 0.12), weight: 10, power: 2, map: .fingertip(link1: 0.1, link2: 0.11))
        let plans = randomPlans(chains: 2, horizon: 4, dimension: 4, seed: 2, scale: 3)
        #expect(finiteDifferenceMismatches(cost, plans: plans).isEmpty)
        // The fingertip of q = (0, 0) is (0.21, 0).
        let tip = TaskSpaceMap.fingertip(link1: 0.1, link2: 0.11).point(of: [Float.pi / 2, -Float.pi / 2, 0, 0])
        #expect(abs(tip.x - 0.11) < 1e-6 && abs(tip.y - 0.1) < 1e-6, "\(tip)")
    }

    @Test func pseudoHuberGoalMatchesFiniteDifferencesAndKeepsPullingNearTheGoal() {
        let huber = GoalCost(goal: SIMD2(0.3, -0.2), weight: 10, power: 4, map: .coordinates(x: 0, y: 1),
                             distance: .pseudoHuber(delta: 0.01))
        #expect(finiteDifferenceMismatches(huber, plans: randomPlans(chains: 3, horizon: 5, dimension: 2, seed: 3)).isEmpty)
        // 0.05 from the goal: √(r² + δ²) − δ ≈ 0.041 against r² = 0.0025, and a unit-size pull.
        let near = Tensor(shape: [1, 2, 2], scalars: [0, 0, 0.35, -0.2])
        let cost = huber.cost(near)[0], r = Float(0.05)
        #expect(abs(cost - 10 * ((r * r + 1e-4).squareRoot() - 0.01)) < 1e-5)
        let pull = huber.costAndGradient(near).gradient.scalars[2]
        #expect(abs(pull - 10 * r / (r * r + 1e-4).squareRoot()) < 1e-4, "\(pull)")
    }

    @Test func arrivalWeighsEveryStateFromItOnFully() {
        // Horizon 4, arrival 2, p = 4: weights 1/16, 1, 1, 1 on states 1…4 at unit distance.
        let cost = GoalCost(goal: SIMD2(1, 0), weight: 1, power: 4, map: .coordinates(x: 0, y: 1))
        let plan = Tensor(shape: [1, 5, 2], scalars: [Float](repeating: 0, count: 10))
        #expect(abs(cost.arriving(by: 2).cost(plan)[0] - (1.0 / 16 + 3)) < 1e-6)
        let composite = CompositeCost([cost, SmoothnessCost(velocityWeight: 0, accelerationWeight: 0)])
        #expect(abs(composite.arriving(by: 2).cost(plan)[0] - (1.0 / 16 + 3)) < 1e-6)
        // Without an arrival the weights are (t/4)^4.
        let plain: Float = [1, 2, 3, 4].map { powf(Float($0) / 4, 4) }.reduce(0, +)
        #expect(abs(cost.cost(plan)[0] - plain) < 1e-6)
        #expect(finiteDifferenceMismatches(cost.arriving(by: 3), plans: randomPlans(chains: 2, horizon: 6, dimension: 2, seed: 4)).isEmpty)
    }

    @Test func goalCostWeightsLateStates() {
        // A plan that is at the goal only at the end costs less than one that is there only early.
        let cost = GoalCost(goal: SIMD2(1, 1), weight: 1, power: 4, map: .coordinates(x: 0, y: 1))
        let late = Tensor(shape: [1, 3, 2], scalars: [0, 0, 0, 0, 1, 1])
        let early = Tensor(shape: [1, 3, 2], scalars: [0, 0, 1, 1, 0, 0])
        #expect(cost.cost(late)[0] < cost.cost(early)[0])
    }

    @Test func stepLimitIsZeroWithinReachAndMatchesFiniteDifferences() {
        let cost = StepLimitCost(reach: 0.05, weight: 1000, coordinates: [0, 1])
        // Steps of 0.04 per coordinate (and any change of the unlimited third coordinate) are free.
        let feasible = Tensor(shape: [1, 3, 3], scalars: [0, 0, 0, 0.04, -0.04, 5, 0.08, 0, -5])
        #expect(cost.cost(feasible)[0] == 0)
        // A 0.15 jump in x pays 1000 · 0.1².
        let jump = Tensor(shape: [1, 2, 3], scalars: [0, 0, 0, 0.15, 0, 0])
        #expect(abs(cost.cost(jump)[0] - 10) < 1e-3)
        // Weight 10 for the check: with 1000, Float32 rounding of the summed cost swamps the
        // central differences.
        let checked = StepLimitCost(reach: 0.05, weight: 10, coordinates: [0, 1])
        #expect(finiteDifferenceMismatches(checked, plans: randomPlans(chains: 2, horizon: 5, dimension: 3, seed: 9)).isEmpty)
    }

    @Test func smoothness() {
        let cost = SmoothnessCost(velocityWeight: 0.1, accelerationWeight: 0.01)
        #expect(finiteDifferenceMismatches(cost, plans: randomPlans(chains: 2, horizon: 6, dimension: 3, seed: 3)).isEmpty)
        // A straight line at constant speed has no acceleration cost.
        let line = Tensor(shape: [1, 4, 1], scalars: [0, 1, 2, 3])
        #expect(abs(SmoothnessCost(velocityWeight: 0, accelerationWeight: 1).cost(line)[0]) < 1e-6)
    }

    @Test func obstacleCostGradients() throws {
        let obstacles = [try Obstacle([-0.2, -0.2, 0.2, 0.2]), try Obstacle([0.5, 0.5, 0.15])]
        let cost = ObstacleCost(obstacles: obstacles, weight: 50, margin: 0.1, map: .coordinates(x: 0, y: 1))
        // Points spread over, near and inside both obstacles.
        let plans = randomPlans(chains: 4, horizon: 6, dimension: 2, seed: 4, scale: 0.7)
        #expect(finiteDifferenceMismatches(cost, plans: plans, epsilon: 1e-4).isEmpty)
    }

    @Test func obstacleCostIsZeroFarAwayAndSteepInside() throws {
        let cost = ObstacleCost(obstacles: [try Obstacle([-0.2, -0.2, 0.2, 0.2])], weight: 1000, margin: 0.05,
                                map: .coordinates(x: 0, y: 1))
        func at(_ x: Float, _ y: Float) -> Float { cost.cost(Tensor(shape: [1, 2, 2], scalars: [x, y, x, y]))[0] }
        #expect(at(0.8, 0.8) == 0)
        #expect(at(0.26, 0) == 0)
        #expect(at(0.22, 0) > 0)
        #expect(at(0.1, 0) > 10 * at(0.22, 0))
        #expect(at(0, 0) > at(0.1, 0))
        #expect(at(0, 0) > 40)
    }

    @Test func aJumpAcrossAnObstacleCostsLikeStoppingInside() throws {
        let cost = ObstacleCost(obstacles: [try Obstacle([-0.2, -0.2, 0.2, 0.2])], weight: 1000, margin: 0.05,
                                map: .coordinates(x: 0, y: 1))
        let jump = cost.cost(Tensor(shape: [1, 2, 2], scalars: [-0.5, 0, 0.5, 0]))[0]
        let inside = cost.cost(Tensor(shape: [1, 2, 2], scalars: [-0.5, 0, 0, 0]))[0]
        let beside = cost.cost(Tensor(shape: [1, 2, 2], scalars: [-0.5, 0.3, 0.5, 0.3]))[0]
        #expect(jump > 0.5 * inside, "jump \(jump), inside \(inside)")
        #expect(beside == 0)
    }

    @Test func transitionEnergyCostMatchesItsNetwork() {
        let spec = TransitionFeatureSpec(stateDimension: 2, deltaScale: [20, 20])
        let net = Network(NetworkConfig(inputShape: [4], layers: [.transitionFeatures(spec)] + .mlpEnergy(hidden: [16], activation: .swish)),
                          seed: 5)
        let cost = TransitionEnergyCost(network: net)
        let plans = randomPlans(chains: 2, horizon: 3, dimension: 2, seed: 6, scale: 0.1)
        #expect(finiteDifferenceMismatches(cost, plans: plans, epsilon: 1e-3).isEmpty)
        // Plan 0's cost is the sum of its three transition energies.
        let pair = Tensor(shape: [1, 4], scalars: Array(plans.scalars[0..<4]))
        let e0 = net.energies(of: pair)[0]
        #expect(abs(cost.transitionEnergies(plans)[0] - e0) < 1e-6)
    }

    @Test func aFeasibleLevelPricesOnlyTheEnergyAboveIt() {
        let spec = TransitionFeatureSpec(stateDimension: 2, deltaScale: [20, 20])
        let net = Network(NetworkConfig(inputShape: [4], layers: [.transitionFeatures(spec)] + .mlpEnergy(hidden: [16], activation: .swish)),
                          seed: 5)
        let plans = randomPlans(chains: 4, horizon: 3, dimension: 2, seed: 7, scale: 0.3)
        let plain = TransitionEnergyCost(network: net)
        let energies = plain.transitionEnergies(plans)
        // The level sits in the middle of the widest gap between two energies, away from every
        // kink, so finite differences hold.
        let sorted = energies.sorted()
        let widths: [Float] = (1..<sorted.count).map { sorted[$0] - sorted[$0 - 1] }
        let gap = 1 + widths.indices.max { widths[$0] < widths[$1] }!
        let level = (sorted[gap] + sorted[gap - 1]) / 2
        let constrained = TransitionEnergyCost(network: net, weight: 3, feasibleLevel: level)
        for c in 0..<4 {
            let expected = 3 * energies[(c * 3)..<(c * 3 + 3)].reduce(0) { $0 + max(0, $1 - level) }
            #expect(abs(constrained.cost(plans)[c] - expected) < 1e-4)
        }
        #expect(energies.contains { $0 < level } && energies.contains { $0 > level })
        #expect(finiteDifferenceMismatches(constrained, plans: plans, epsilon: 1e-4).isEmpty)
        let below = TransitionEnergyCost(network: net, feasibleLevel: energies.max()! + 1)
        #expect(below.cost(plans).allSatisfy { $0 == 0 })
        #expect(below.costAndGradient(plans).gradient.scalars.allSatisfy { $0 == 0 })
    }
}
