import EBMRender

/// What drives the viewed environment: once per control step it picks an action and says what
/// it considered, so the viewer can draw it.
///
/// Not `Sendable`: a planning controller holds networks, which are classes with per-call
/// caches; a session and its controller live on the thread that draws them.
public protocol ViewerController {
    /// Shown in the window title: the `--planner` name ("langevin", "random-actions").
    var name: String { get }
    /// Forgets everything tied to the previous episode or goal (e.g. a warm-start plan).
    mutating func reset()
    /// The action for the environment's current state and goal, using `chains` parallel
    /// samples where the controller samples at all.
    mutating func decide(in environment: ViewedEnvironment, chains: Int) -> ControllerDecision
    /// A field to draw under the scene for the environment's current state, or `nil` where
    /// the controller has nothing to show (called only while the heatmap is on).
    func heatmap(for environment: ViewedEnvironment) -> Heatmap?
}

extension ViewerController {
    /// Controllers without a model have no field to show.
    public func heatmap(for environment: ViewedEnvironment) -> Heatmap? { nil }
}

/// One control step's choice and what led to it.
public struct ControllerDecision: Sendable {
    /// The action to apply, nominally in [−1, 1]².
    public var action: SIMD2<Double>
    /// Sampled futures with costs and the chosen plan, in goal space; `executed` is ignored
    /// (the viewer records what actually happened).
    public var traces: SceneTraces
    /// Wall-clock milliseconds spent planning for this action, or `nil` if it did not plan.
    public var planMilliseconds: Double?

    public init(action: SIMD2<Double>, traces: SceneTraces = SceneTraces(), planMilliseconds: Double? = nil) {
        self.action = action
        self.traces = traces
        self.planMilliseconds = planMilliseconds
    }
}
