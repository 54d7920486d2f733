import EBMEnvironments
import EBMPlanners
import EBMRender

extension SceneTraces {
    /// What `planner` considered at its last optimisation, in `environment`'s goal space: every
    /// sampled plan as a future with its cost, and the chosen plan. `executed` stays empty for
    /// whoever steps the environment.
    ///
    /// Plans are state sequences, so each state goes through `goalPoint(of:)` (the identity
    /// for points, the fingertip for arms); a planner that has not planned yet gives no traces.
    public init<E: Environment>(planner: any Planner, in environment: E) {
        let plans = planner.sampledPlans
        guard plans.shape.count == 3, plans.shape[2] == E.stateDimension else {
            self.init()
            return
        }
        let (chains, length, d) = (plans.shape[0], plans.shape[1], plans.shape[2])
        func point(_ state: some Sequence<Float>) -> SIMD2<Double> {
            environment.goalPoint(of: E.State(state.map(Double.init)))
        }
        let futures = (0..<chains).map { b in
            (0..<length).map { k in point(plans.scalars[((b * length + k) * d)..<((b * length + k + 1) * d)]) }
        }
        let best = planner.bestPlan
        self.init(futures: futures, futureCosts: planner.sampledCosts.map(Double.init),
                  plan: (0..<best.rows).map { point(best.row($0)) })
    }
}
