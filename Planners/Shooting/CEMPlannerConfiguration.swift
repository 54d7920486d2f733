import EBMCore

/// Settings of the cross-entropy-method planner over action sequences (SPEC §6).
public struct CEMPlannerConfiguration: Codable, Equatable, Sendable {
    /// N: action sequences drawn per iteration (the incumbent and the mean are scored on top).
    public var samples: Int
    /// T: actions per plan.
    public var horizon: Int
    /// Iterations from a cold start.
    public var iterations: Int
    /// Iterations after a warm start (the shifted previous mean is already good).
    public var warmIterations: Int
    /// Share of the scored sequences that refit the sampling distribution (at least one).
    public var eliteFraction: Float
    /// Per-action std of the sampling distribution at the start of each call.
    public var initialStd: Float
    /// Floor of the per-action std, so the search never collapses before it converges.
    public var minimumStd: Float
    /// Weight of Σ_t ‖a_t‖² added to the task cost (0: actions are free).
    public var actionCostWeight: Float
    /// Every action coordinate is clipped to this range.
    public var actionRange: ClosedRange<Float>
    /// Threads the rollouts are split across; results do not depend on it. Rollouts are most
    /// of a call (≈ 75 % on the reacher oracle), but on a loaded 2-core machine a second
    /// thread measured no faster, so it is opt-in: raise it on idle multi-core machines.
    public var threads: Int

    public init(samples: Int = 64, horizon: Int = 20, iterations: Int = 6, warmIterations: Int = 3,
                eliteFraction: Float = 0.1, initialStd: Float = 0.5, minimumStd: Float = 0.05,
                actionCostWeight: Float = 0, actionRange: ClosedRange<Float> = -1...1, threads: Int = 1) {
        self.samples = samples
        self.horizon = horizon
        self.iterations = iterations
        self.warmIterations = warmIterations
        self.eliteFraction = eliteFraction
        self.initialStd = initialStd
        self.minimumStd = minimumStd
        self.actionCostWeight = actionCostWeight
        self.actionRange = actionRange
        self.threads = threads
    }

    /// The reason these settings cannot run, or nil.
    public var problem: String? {
        if samples < 1 { return "samples must be at least 1, got \(samples)" }
        if horizon < 1 { return "horizon must be at least 1, got \(horizon)" }
        if iterations < 0 || warmIterations < 0 { return "iteration counts must not be negative" }
        if !(eliteFraction > 0 && eliteFraction <= 1) { return "elite fraction must be in (0, 1], got \(eliteFraction)" }
        if !(initialStd >= 0 && initialStd.isFinite) || !(minimumStd >= 0 && minimumStd.isFinite) {
            return "action stds must be finite and non-negative"
        }
        if !actionCostWeight.isFinite { return "action cost weight must be finite" }
        if !(actionRange.lowerBound.isFinite && actionRange.upperBound.isFinite) { return "action range must be finite" }
        if threads < 1 { return "threads must be at least 1, got \(threads)" }
        return nil
    }
}
