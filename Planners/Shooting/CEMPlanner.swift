import EBMCore
import EBMEnvironments

/// The cross-entropy method over action sequences with a dynamics model (SPEC §6's baseline;
/// on the true simulator, the oracle).
///
/// Each iteration draws N sequences from a per-action Gaussian (clipped to the action range),
/// rolls them out with the dynamics, scores the state plans `[B, T+1, D]` with the same
/// `TaskCost` as the state-space planners (so goals and obstacles mean the same thing) plus
/// an optional action-magnitude cost, and refits mean and std to the elites, the std floored.
/// The sampling mean and the incumbent (the cheapest sequence scored so far) are scored with
/// every batch, so the chosen sequence never gets worse within a call; replanning shifts the
/// mean and the incumbent by the executed steps.
public struct CEMPlanner: Planner {
    public var configuration: CEMPlannerConfiguration
    public var dynamics: any DynamicsModel
    public var taskCost: any TaskCost
    /// The last iteration's rollouts: incumbent, mean, then the N samples.
    public private(set) var sampledPlans: Tensor
    public private(set) var sampledCosts: [Float] = []
    /// The rollout of `bestActions`.
    public private(set) var bestPlan: Tensor
    /// The chosen action sequence, `[T, A]`.
    public private(set) var bestActions: Tensor
    /// The sampling mean after the last call, `[T·A]`, shifted to warm-start the next.
    private var mean: [Float] = []

    public init(configuration: CEMPlannerConfiguration = CEMPlannerConfiguration(),
                dynamics: any DynamicsModel, taskCost: any TaskCost) {
        precondition(configuration.problem == nil, "invalid planner settings: \(configuration.problem!)")
        self.configuration = configuration
        self.dynamics = dynamics
        self.taskCost = taskCost
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
        bestActions = Tensor(zeros: [configuration.horizon, 0])
    }

    /// The oracle planner: CEM on the environment's true dynamics.
    public static func oracle<E: Environment>(environment: E, taskCost: any TaskCost,
                                              configuration: CEMPlannerConfiguration = CEMPlannerConfiguration()) -> CEMPlanner {
        CEMPlanner(configuration: configuration, dynamics: SimulatorDynamics(environment), taskCost: taskCost)
    }

    public mutating func reset() {
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        sampledCosts = []
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
        bestActions = Tensor(zeros: [configuration.horizon, 0])
        mean = []
    }

    public mutating func optimize(from state: [Float], executedSteps: Int, rng: inout RNG) {
        let c = configuration
        precondition(c.problem == nil, "invalid planner settings: \(c.problem!)")
        precondition(state.count == dynamics.stateDimension,
                     "state has \(state.count) values, the dynamics expects \(dynamics.stateDimension)")
        let (t, a) = (c.horizon, dynamics.actionDimension)
        let width = t * a
        let (low, high) = (c.actionRange.lowerBound, c.actionRange.upperBound)
        let warm = mean.count == width && bestActions.shape == [t, a]
        var mean = warm ? RolloutScorer.shifted(self.mean, by: executedSteps, actionDimension: a)
                        : [Float](repeating: min(max(0, low), high), count: width)
        var incumbent = warm ? RolloutScorer.shifted(bestActions.scalars, by: executedSteps, actionDimension: a) : mean
        var std = [Float](repeating: c.initialStd, count: width)
        let scorer = RolloutScorer(dynamics: dynamics, taskCost: taskCost, actionCostWeight: c.actionCostWeight,
                                   threads: c.threads)
        let iterations = warm ? c.warmIterations : c.iterations
        let count = c.samples + 2
        let elites = max(1, Int((c.eliteFraction * Float(count)).rounded(.up)))
        var batch: ScoredRollouts?
        var best = 0
        for _ in 0..<iterations {
            let scored = scorer.score(count: count, horizon: t, from: state, seed: rng.next()) { [mean, std, incumbent] n, rng, out in
                switch n {
                case 0: for j in 0..<width { out[j] = incumbent[j] }
                case 1: for j in 0..<width { out[j] = mean[j] }
                default: for j in 0..<width { out[j] = min(max(mean[j] + std[j] * rng.gaussian(), low), high) }
                }
            }
            best = scored.cheapest
            incumbent = scored.sequence(best, width: width)
            let order = scored.costs.indices.filter { scored.costs[$0].isFinite }.sorted { scored.costs[$0] < scored.costs[$1] }
            let chosen = order.isEmpty ? [best] : Array(order.prefix(elites))
            for j in 0..<width {
                var sum: Float = 0, squares: Float = 0
                for n in chosen {
                    let u = scored.actions[n * width + j]
                    sum += u
                    squares += u * u
                }
                let m = sum / Float(chosen.count)
                mean[j] = m
                std[j] = max(max(squares / Float(chosen.count) - m * m, 0).squareRoot(), c.minimumStd)
            }
            batch = scored
        }
        let final = batch ?? scorer.score(count: 1, horizon: t, from: state, seed: 0) { [incumbent] _, _, out in
            for j in 0..<width { out[j] = incumbent[j] }
        }
        self.mean = mean
        sampledPlans = final.plans
        sampledCosts = final.costs
        let d = state.count, planWidth = (t + 1) * d
        bestPlan = Tensor(shape: [t + 1, d], scalars: Array(final.plans.scalars[(best * planWidth)..<((best + 1) * planWidth)]))
        bestActions = Tensor(shape: [t, a], scalars: incumbent)
    }

    /// Planned action k (the sequence is open loop: `state` is not consulted).
    public func action(from state: [Float], alongStep k: Int) -> [Float] {
        bestActions.row(min(k, bestActions.rows - 1))
    }
}
