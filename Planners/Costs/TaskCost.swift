import EBMCore

/// What a plan should achieve, as a differentiable cost on whole plans.
///
/// Plans come as a batch `[B, T+1, D]`: B candidate plans of T+1 states each, state 0 being
/// the current (clamped) state. A cost returns one value per plan and, for gradient-based
/// planners, its gradient with respect to every state of every plan. The energy says what the
/// world allows; task costs say what we want — obstacles never seen in training are just costs.
public protocol TaskCost {
    /// Cost of each plan and its gradient (same shape as `plans`).
    func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor)
    /// Cost of each plan (sampling planners need no gradient).
    func cost(_ plans: Tensor) -> [Float]
    /// Adds each plan's cost to `costs` and the gradient to `gradient` (shaped like `plans`).
    /// A sum of terms (`CompositeCost`) uses it so that all terms write into one gradient
    /// instead of each allocating its own, which matters inside a Langevin loop.
    func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor)
    /// This cost for plans that can reach the goal by `step` (a global search found a path that
    /// long): terms that weigh time, such as `GoalCost`, tighten; others return themselves.
    func arriving(by step: Int) -> any TaskCost
}

extension TaskCost {
    public func arriving(by step: Int) -> any TaskCost { self }

    public func cost(_ plans: Tensor) -> [Float] { costAndGradient(plans).costs }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        let (c, g) = costAndGradient(plans)
        for i in costs.indices { costs[i] += c[i] }
        gradient.scalars.withUnsafeMutableBufferPointer { o in
            g.scalars.withUnsafeBufferPointer { for i in $0.indices { o[i] += $0[i] } }
        }
    }

    /// `costAndGradient` for terms that implement `accumulateCostAndGradient`: zeros, then one
    /// accumulation.
    func costAndGradientByAccumulating(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        var costs = [Float](repeating: 0, count: plans.shape[0])
        var gradient = Tensor(zeros: plans.shape)
        accumulateCostAndGradient(plans, costs: &costs, gradient: &gradient)
        return (costs, gradient)
    }
}

/// Dimensions of a plan batch `[B, T+1, D]`.
public struct PlanShape: Equatable, Sendable {
    public var chains: Int
    /// T: number of transitions; a plan has T+1 states.
    public var horizon: Int
    public var stateDimension: Int

    public init(chains: Int, horizon: Int, stateDimension: Int) {
        self.chains = chains
        self.horizon = horizon
        self.stateDimension = stateDimension
    }

    public init(of plans: Tensor) {
        precondition(plans.shape.count == 3, "plans must be [B, T+1, D], got \(plans.shape)")
        self.init(chains: plans.shape[0], horizon: plans.shape[1] - 1, stateDimension: plans.shape[2])
    }

    public var tensorShape: [Int] { [chains, horizon + 1, stateDimension] }
    /// Scalars per plan.
    public var planWidth: Int { (horizon + 1) * stateDimension }
}

/// The sum of several task costs.
public struct CompositeCost: TaskCost {
    public var terms: [any TaskCost]
    public init(_ terms: [any TaskCost]) { self.terms = terms }

    public func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        costAndGradientByAccumulating(plans)
    }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        for term in terms { term.accumulateCostAndGradient(plans, costs: &costs, gradient: &gradient) }
    }

    public func arriving(by step: Int) -> any TaskCost { CompositeCost(terms.map { $0.arriving(by: step) }) }

    public func cost(_ plans: Tensor) -> [Float] {
        var costs = [Float](repeating: 0, count: plans.shape[0])
        for term in terms { for (i, c) in term.cost(plans).enumerated() { costs[i] += c } }
        return costs
    }
}
