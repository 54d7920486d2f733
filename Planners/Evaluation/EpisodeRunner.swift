import EBMCore
import EBMEnvironments
import Foundation

/// What happened in one closed-loop episode.
public struct EpisodeOutcome: Sendable {
    /// The goal was reached (particle, maze: ‖s − g‖₁ < 0.01 at any step, which ends the
    /// episode; reacher: fingertip within 0.02 of the goal at the final step).
    public var success: Bool
    public var steps: Int
    /// Goal-space distance at the end, in the environment's success norm.
    public var finalDistance: Double
    /// Sum of rewards.
    public var totalReturn: Double
    /// Steps whose move an obstacle or wall blocked.
    public var blockedSteps: Int
    /// Wall-clock seconds the controller took for each control step.
    public var controlTimes: [Double]
    /// States visited, the start first.
    public var path: [[Double]]

    public init(success: Bool, steps: Int, finalDistance: Double, totalReturn: Double, blockedSteps: Int,
                controlTimes: [Double], path: [[Double]]) {
        self.success = success
        self.steps = steps
        self.finalDistance = finalDistance
        self.totalReturn = totalReturn
        self.blockedSteps = blockedSteps
        self.controlTimes = controlTimes
        self.path = path
    }
}

/// Runs a controller against an environment until the episode ends.
public enum EpisodeRunner {
    /// One episode from the environment's current state (reset it first); `observe` sees the
    /// controller after each of its decisions (to record sampled futures, say).
    public static func run<E: Environment, C: Controller>(_ environment: inout E, controller: inout C, rng: inout RNG,
                                                          observe: (Int, C) -> Void = { _, _ in }) throws -> EpisodeOutcome {
        var outcome = EpisodeOutcome(success: false, steps: 0, finalDistance: 0, totalReturn: 0,
                                     blockedSteps: 0, controlTimes: [], path: [E.array(environment.state)])
        controller.reset()
        var last: StepResult<E.State>?
        while last?.done != true {
            let state = E.array(environment.state).map(Float.init)
            let start = DispatchTime.now().uptimeNanoseconds
            let action = controller.action(for: state, rng: &rng)
            outcome.controlTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            observe(environment.steps, controller)
            let result = try environment.step(action.map { Double($0.isFinite ? $0 : 0) })
            outcome.totalReturn += result.reward
            if result.info.blocked { outcome.blockedSteps += 1 }
            outcome.path.append(E.array(result.state))
            last = result
        }
        outcome.steps = environment.steps
        outcome.success = last?.info.success ?? false
        outcome.finalDistance = last?.info.distance ?? 0
        return outcome
    }
}
