import EBMCore

/// A receding-horizon planner (the seam every planning method sits behind).
///
/// A planner keeps a batch of candidate plans (`[B, T+1, D]`, state 0 = the state it planned
/// from), optimises them for its task cost from a given state, and exposes the best plan,
/// all sampled plans with their costs (for drawing futures) and the action to take now.
/// Between calls the controller executes actions; `optimize` is told how many, so the
/// previous plans warm-start the next optimisation shifted by exactly that many steps.
public protocol Planner {
    /// What the plans must achieve; set per episode (goal, obstacles).
    var taskCost: any TaskCost { get set }
    /// Forgets every plan (a new episode starts cold).
    mutating func reset()
    /// Optimises the plans from `state` (D values). `executedSteps` actions of the previous
    /// best plan were executed since the last call (0 on the first call).
    mutating func optimize(from state: [Float], executedSteps: Int, rng: inout RNG)
    /// The chosen plan, `[T+1, D]`.
    var bestPlan: Tensor { get }
    /// Every sampled plan, `[B, T+1, D]`, and each one's cost.
    var sampledPlans: Tensor { get }
    var sampledCosts: [Float] { get }
    /// The action that moves `state` towards state k+1 of the best plan (k = 0: the action to
    /// take right after planning). Action-space planners return their k-th planned action.
    func action(from state: [Float], alongStep k: Int) -> [Float]
}

extension Planner {
    /// State `k` of the best plan.
    public func plannedState(_ k: Int) -> [Float] { bestPlan.row(k) }
    /// Number of transitions in a plan.
    public var horizon: Int { bestPlan.rows - 1 }
    /// The action to take right after planning.
    public func nextAction() -> [Float] { action(from: plannedState(0), alongStep: 0) }
}
