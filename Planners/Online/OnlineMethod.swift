/// The methods the online loop compares under one budget of environment steps; each
/// collects its own data with its own planner and model.
public enum OnlineMethod: String, Codable, CaseIterable, Sendable {
    /// The transition energy, trained by contrastive divergence against the planner's own
    /// transitions and planned with Langevin over states (the paper's method).
    case ebm
    /// The feed-forward dynamics, trained by MSE on the observed transitions and planned with
    /// CEM over actions (the baseline).
    case ff

    /// The planner that collects the data and is evaluated.
    public var planner: PlannerKind { self == .ebm ? .langevin : .cem }
}
