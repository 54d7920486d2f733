/// The methods the online loop compares under one budget of environment steps; each
/// collects its own data with its own planner and model.
public enum OnlineMethod: String, Codable, CaseIterable, Sendable {
    /// The transition energy, trained by contrastive divergence against the planner's own
    /// transitions and planned with Langevin over states (the paper's method).
    case ebm
    /// The feed-forward dynamics, trained by MSE on the observed transitions and planned with
    /// CEM over actions (the baseline).
    case ff
    /// The transition energy trained as `ebm`, but the environments execute actions drawn
    /// uniformly from [−1, 1] instead of the plan's (the paper's `--random_action`): data from
    /// random exploration, the same learner, evaluated with the Langevin planner.
    case random

    /// The planner that is evaluated (and, except for `random`, collects the data).
    public var planner: PlannerKind { self == .ff ? .cem : .langevin }
    /// Whether the method learns the transition energy (else the feed-forward dynamics).
    public var learnsEnergy: Bool { self != .ff }
}
