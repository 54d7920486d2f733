import EBMCore

/// Settings of the random-shooting planner over action sequences (SPEC §6).
public struct RandomShootingConfiguration: Codable, Equatable, Sendable {
    /// N: uniformly random action sequences scored per call.
    public var samples: Int
    /// T: actions per plan.
    public var horizon: Int
    /// Weight of Σ_t ‖a_t‖² added to the task cost (0: actions are free).
    public var actionCostWeight: Float
    /// Actions are drawn uniformly from this range per coordinate.
    public var actionRange: ClosedRange<Float>
    /// Threads the rollouts are split across; results do not depend on it. Rollouts are most
    /// of a call (≈ 75 % on the reacher oracle), but on a loaded 2-core machine a second
    /// thread measured no faster, so it is opt-in: raise it on idle multi-core machines.
    public var threads: Int

    public init(samples: Int = 256, horizon: Int = 20, actionCostWeight: Float = 0,
                actionRange: ClosedRange<Float> = -1...1, threads: Int = 1) {
        self.samples = samples
        self.horizon = horizon
        self.actionCostWeight = actionCostWeight
        self.actionRange = actionRange
        self.threads = threads
    }

    /// The reason these settings cannot run, or nil.
    public var problem: String? {
        if samples < 1 { return "samples must be at least 1, got \(samples)" }
        if horizon < 1 { return "horizon must be at least 1, got \(horizon)" }
        if !actionCostWeight.isFinite { return "action cost weight must be finite" }
        if !(actionRange.lowerBound.isFinite && actionRange.upperBound.isFinite) { return "action range must be finite" }
        if threads < 1 { return "threads must be at least 1, got \(threads)" }
        return nil
    }
}
