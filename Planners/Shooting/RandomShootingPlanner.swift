import EBMCore

/// Random shooting over action sequences with a dynamics model (SPEC §6's simplest baseline):
/// N sequences drawn uniformly from the action range are rolled out and scored with the task
/// cost (plus an optional action-magnitude cost); the cheapest is executed. The previous best
/// sequence, shifted by the executed steps, is scored with them, so a good plan found once is
/// not lost to an unlucky draw.
public struct RandomShootingPlanner: Planner {
    public var configuration: RandomShootingConfiguration
    public var dynamics: any DynamicsModel
    public var taskCost: any TaskCost
    /// All rollouts of the last call: the shifted previous best, then the N random sequences.
    public private(set) var sampledPlans: Tensor
    public private(set) var sampledCosts: [Float] = []
    /// The rollout of `bestActions`.
    public private(set) var bestPlan: Tensor
    /// The chosen action sequence, `[T, A]`.
    public private(set) var bestActions: Tensor

    public init(configuration: RandomShootingConfiguration = RandomShootingConfiguration(),
                dynamics: any DynamicsModel, taskCost: any TaskCost) {
        precondition(configuration.problem == nil, "invalid planner settings: \(configuration.problem!)")
        self.configuration = configuration
        self.dynamics = dynamics
        self.taskCost = taskCost
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
        bestActions = Tensor(zeros: [configuration.horizon, 0])
    }

    public mutating func reset() {
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        sampledCosts = []
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
        bestActions = Tensor(zeros: [configuration.horizon, 0])
    }

    public mutating func optimize(from state: [Float], executedSteps: Int, rng: inout RNG) {
        let c = configuration
        precondition(c.problem == nil, "invalid planner settings: \(c.problem!)")
        precondition(state.count == dynamics.stateDimension,
                     "state has \(state.count) values, the dynamics expects \(dynamics.stateDimension)")
        let (t, a, d) = (c.horizon, dynamics.actionDimension, state.count)
        let width = t * a, planWidth = (t + 1) * d
        let (low, high) = (c.actionRange.lowerBound, c.actionRange.upperBound)
        let previous = bestActions.shape == [t, a]
            ? RolloutScorer.shifted(bestActions.scalars, by: executedSteps, actionDimension: a) : nil
        let offset = previous == nil ? 0 : 1
        let scorer = RolloutScorer(dynamics: dynamics, taskCost: taskCost, actionCostWeight: c.actionCostWeight,
                                   threads: c.threads)
        let scored = scorer.score(count: c.samples + offset, horizon: t, from: state, seed: rng.next()) { n, rng, out in
            if let previous, n == 0 {
                for j in 0..<width { out[j] = previous[j] }
            } else {
                for j in 0..<width { out[j] = rng.uniform(low, high) }
            }
        }
        let best = scored.cheapest
        sampledPlans = scored.plans
        sampledCosts = scored.costs
        bestPlan = Tensor(shape: [t + 1, d], scalars: Array(scored.plans.scalars[(best * planWidth)..<((best + 1) * planWidth)]))
        bestActions = Tensor(shape: [t, a], scalars: scored.sequence(best, width: width))
    }

    /// Planned action k (the sequence is open loop: `state` is not consulted).
    public func action(from state: [Float], alongStep k: Int) -> [Float] {
        bestActions.row(min(k, bestActions.rows - 1))
    }
}
