import EBMCore
import Foundation

/// Turns states into actions (the seam between planning and the world).
public protocol Controller {
    /// Forget everything about the previous episode.
    mutating func reset()
    /// The action for `state` (D values).
    mutating func action(for state: [Float], rng: inout RNG) -> [Float]
}

/// Model-predictive control: plan, act with the plan's first action, and replan — every step
/// (warm-started from the shifted previous plans), or only when the state has drifted from
/// the plan by more than `replanThreshold` (max-abs over coordinates) or the plan is used up.
public struct MPCController: Controller {
    public var planner: any Planner
    /// nil: replan every step.
    public var replanThreshold: Float?
    /// Wall-clock seconds of each planning call, in order.
    public private(set) var planningTimes: [Double] = []
    /// Whether the last `action(for:)` call planned.
    public private(set) var didPlan = false
    private var stepsSincePlan = 0
    private var hasPlan = false

    public init(planner: any Planner, replanThreshold: Float? = nil) {
        self.planner = planner
        self.replanThreshold = replanThreshold
    }

    public mutating func reset() {
        planner.reset()
        planningTimes = []
        stepsSincePlan = 0
        hasPlan = false
    }

    public mutating func action(for state: [Float], rng: inout RNG) -> [Float] {
        if hasPlan, let threshold = replanThreshold, stepsSincePlan < planner.horizon {
            let expected = planner.plannedState(stepsSincePlan)
            let deviation = zip(state, expected).map { abs($0 - $1) }.max() ?? 0
            if deviation <= threshold {
                didPlan = false
                defer { stepsSincePlan += 1 }
                return planner.action(from: state, alongStep: stepsSincePlan)
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        planner.optimize(from: state, executedSteps: hasPlan ? stepsSincePlan : 0, rng: &rng)
        planningTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        hasPlan = true
        didPlan = true
        stepsSincePlan = 1
        return planner.action(from: state, alongStep: 0)
    }
}
