/// What one control step produced.
///
/// Reaching the goal (`terminated`) and running out of time (`truncated`) are reported
/// separately, so an episode's length never has to be read as a success signal.
public struct StepResult<State: Sendable>: Sendable {
    /// The state after the step.
    public var state: State
    /// The environment's reward for the step (see each environment for its formula).
    public var reward: Double
    /// The episode ended because the success rule was met and the environment stops on success.
    public var terminated: Bool
    /// The episode ended because it reached its time limit without terminating.
    public var truncated: Bool
    /// Success and blocking flags for the step.
    public var info: StepInfo

    /// The episode is over: `reset` before stepping again.
    public var done: Bool { terminated || truncated }

    public init(state: State, reward: Double, terminated: Bool, truncated: Bool, info: StepInfo) {
        self.state = state
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}

/// Diagnostics of one step.
public struct StepInfo: Sendable, Equatable {
    /// The success rule holds in the new state.
    public var success: Bool
    /// The move was stopped by an obstacle or wall and the state did not change.
    public var blocked: Bool
    /// Distance from the goal-space point of the new state to the goal, in the success rule's norm.
    public var distance: Double

    public init(success: Bool, blocked: Bool, distance: Double) {
        self.success = success
        self.blocked = blocked
        self.distance = distance
    }
}
