import EBMCore
import Foundation

/// Model-predictive path integral planning over state sequences, on the same cost as the
/// Langevin planner: C(τ) = model energy + task cost, s_0 clamped to the current state.
///
/// Each iteration scores N copies of the sampling mean perturbed by smooth correlated noise
/// (`SmoothNoise`, per state coordinate) together with the mean itself and the **incumbent**
/// (the best plan scored so far), moves the mean to the softmax(−C/λ)-weighted average of all
/// of them, and keeps the cheapest plan scored as the incumbent. Unlike the seed code, the
/// incumbent is always a candidate, so the chosen plan's cost never rises from one iteration
/// (or one warm-started call) to the next, and λ is a real temperature. Replanning shifts the
/// incumbent by the executed steps exactly as the Langevin planner shifts its chains.
public struct MPPIPlanner: Planner {
    public var configuration: MPPIPlannerConfiguration
    /// The world model (usually a `TransitionEnergyCost`).
    public var model: any TaskCost
    public var taskCost: any TaskCost
    public var inverseDynamics: any InverseDynamics
    /// The last iteration's candidates: incumbent, sampling mean, then the N noisy copies.
    public private(set) var sampledPlans: Tensor
    public private(set) var sampledCosts: [Float] = []
    public private(set) var bestPlan: Tensor
    /// Cost of the incumbent after each iteration of the last `optimize` call.
    public private(set) var iterationCosts: [Float] = []
    /// The noise's Cholesky factor, rebuilt only when the horizon changes.
    private var noise: SmoothNoise?

    public init(configuration: MPPIPlannerConfiguration = MPPIPlannerConfiguration(),
                model: any TaskCost, taskCost: any TaskCost, inverseDynamics: any InverseDynamics) {
        precondition(configuration.problem == nil, "invalid planner settings: \(configuration.problem!)")
        self.configuration = configuration
        self.model = model
        self.taskCost = taskCost
        self.inverseDynamics = inverseDynamics
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
    }

    public mutating func reset() {
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        sampledCosts = []
        iterationCosts = []
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
    }

    /// The previous best plan shifted by `k` executed steps (the last state repeated to fill
    /// the end), or, cold, the current state held for the whole horizon; state 0 = `state`.
    func initialPlan(from state: [Float], executedSteps k: Int) -> (plan: [Float], warm: Bool) {
        let d = state.count, t = configuration.horizon
        let warm = bestPlan.shape == [t + 1, d]
        var x = [Float](repeating: 0, count: (t + 1) * d)
        for step in 0...t {
            for i in 0..<d {
                x[step * d + i] = step == 0 || !warm ? state[i] : bestPlan.scalars[min(step + max(k, 0), t) * d + i]
            }
        }
        return (x, warm)
    }

    public mutating func optimize(from state: [Float], executedSteps: Int, rng: inout RNG) {
        let c = configuration
        precondition(c.problem == nil, "invalid planner settings: \(c.problem!)")
        let d = state.count, t = c.horizon, width = (t + 1) * d
        precondition(c.coordinateScales == nil || c.coordinateScales!.count == d,
                     "coordinate scales need one value per state coordinate (\(d))")
        if noise?.horizon != t { noise = SmoothNoise(horizon: t) }
        let noise = self.noise!
        let cost = CompositeCost([model, taskCost])
        let scales = (0..<d).map { c.noiseScale * (c.coordinateScales?[$0] ?? 1) }
        var (incumbent, warm) = initialPlan(from: state, executedSteps: executedSteps)
        var mean = incumbent
        let iterations = warm ? c.warmIterations : c.iterations
        let count = c.samples + 2
        var candidates = [Float](repeating: 0, count: count * width)
        var costs: [Float] = []
        var incumbentCost = Float.infinity
        var z = [Float](repeating: 0, count: t)
        iterationCosts = []
        for _ in 0..<iterations {
            // One stream per sample: the draws do not depend on evaluation order.
            let seed = rng.next()
            candidates.withUnsafeMutableBufferPointer { x in
                for j in 0..<width {
                    x[j] = incumbent[j]
                    x[width + j] = mean[j]
                }
                for s in 0..<c.samples {
                    var sampleRNG = RNG(seed: seed, stream: UInt64(s))
                    let o = (s + 2) * width
                    for i in 0..<d {
                        x[o + i] = mean[i]
                        noise.sample(scale: scales[i], into: x, offset: o + d + i, stride: d, z: &z, rng: &sampleRNG)
                    }
                    for j in d..<width { x[o + j] += mean[j] }
                }
            }
            costs = cost.cost(Tensor(shape: [count, t + 1, d], scalars: candidates))
            // Row 0 is the incumbent, so the argmin (first on ties) can only improve on it.
            let best = Self.argmin(costs)
            incumbent = Array(candidates[(best * width)..<((best + 1) * width)])
            incumbentCost = costs[best]
            mean = Self.softminMean(candidates, costs: costs, width: width, temperature: c.temperature) ?? incumbent
            iterationCosts.append(incumbentCost)
        }
        if iterations == 0 {
            candidates = incumbent
            costs = cost.cost(Tensor(shape: [1, t + 1, d], scalars: incumbent))
        } else {
            // The last mean was never scored; it replaces the incumbent only if it is cheaper.
            let meanCost = cost.cost(Tensor(shape: [1, t + 1, d], scalars: mean))[0]
            if meanCost < incumbentCost {
                incumbent = mean
                iterationCosts[iterationCosts.count - 1] = meanCost
            }
        }
        sampledPlans = Tensor(shape: [candidates.count / width, t + 1, d], scalars: candidates)
        sampledCosts = costs
        bestPlan = Tensor(shape: [t + 1, d], scalars: incumbent)
    }

    /// Index of the smallest finite cost (the first on ties), 0 if none is finite.
    static func argmin(_ costs: [Float]) -> Int {
        var best = 0
        var value = Float.infinity
        for (i, c) in costs.enumerated() where c.isFinite && c < value {
            best = i
            value = c
        }
        return best
    }

    /// Σ_n w_n x_n with w = softmax(−C/λ) over the finite costs; nil if none is finite.
    static func softminMean(_ plans: [Float], costs: [Float], width: Int, temperature: Float) -> [Float]? {
        let lowest = costs.filter(\.isFinite).min()
        guard let lowest else { return nil }
        var weights = costs.map { $0.isFinite ? exp(-($0 - lowest) / temperature) : 0 }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        var mean = [Float](repeating: 0, count: width)
        for (n, w) in weights.enumerated() where w > 0 {
            for j in 0..<width { mean[j] += w * plans[n * width + j] }
        }
        return mean
    }

    public func action(from state: [Float], alongStep k: Int) -> [Float] {
        inverseDynamics.action(from: state, to: plannedState(min(k + 1, horizon)))
    }
}
