import EBMCore
import EBMEnvironments
import EBMRender

/// The viewer's model: an environment driven by a controller, the path it has taken, and the
/// person's settings (pause, heatmap, chains). It knows nothing about windows or GL, so every
/// key and click can be tested headless; a window only feeds it inputs, calls `advance()` and
/// draws `scene`.
public struct ViewerSession {
    /// The environment in its current state.
    public private(set) var environment: ViewedEnvironment
    /// What picks the actions.
    public private(set) var controller: any ViewerController
    /// Size of the picture the scene is shown in, for mapping clicks to the world.
    public let width: Int
    public let height: Int
    /// Seed of the episode (and of `reset`).
    public let seed: UInt64
    /// What the controller showed at its last decision (futures, costs, plan).
    public private(set) var traces = SceneTraces()
    /// Goal-space points visited this episode, starting at the start.
    public private(set) var executed: [SIMD2<Double>]
    /// The controller's field for the current state (see `ViewerController.heatmap(for:)`),
    /// computed only while `showsHeatmap` is on and only when the state changed.
    public private(set) var heatmap: Heatmap?
    /// Toggled by H; the scene includes `heatmap` only while this is on.
    public private(set) var showsHeatmap = false
    /// Toggled by space; `advance()` does nothing while paused.
    public private(set) var paused = false
    /// Parallel samples the controller may use per decision; changed by +/−.
    public private(set) var chains: Int
    /// Milliseconds the controller spent on its last plan (`nil` before the first).
    public private(set) var planMilliseconds: Double?
    /// The success rule held after the last step.
    public private(set) var success = false
    /// The episode is over (goal reached where that ends it, or time limit); `reset` or a new
    /// goal starts another.
    public private(set) var done = false
    /// Why the last input was refused (e.g. an unreachable clicked goal), until the next input.
    public private(set) var notice: String?

    /// Chains before any +/− unless the controller prefers another count.
    public static let defaultChains = 32
    /// +/− double and halve within this range.
    public static let chainRange = 1...1024

    private var start: [Double]
    private var goalRNG: RNG
    /// The state `heatmap` was computed for; `nil` forces a recomputation.
    private var heatmapState: [Double]?

    /// A session showing `environment` (in the episode `seed` started) on a `width` × `height`
    /// picture, starting with `chains` chains (clamped to `chainRange`); `seed` also seeds the
    /// random goals of N.
    public init(environment: ViewedEnvironment, controller: any ViewerController, seed: UInt64, width: Int, height: Int,
                chains: Int = ViewerSession.defaultChains) {
        self.environment = environment
        self.controller = controller
        self.seed = seed
        self.width = width
        self.height = height
        self.chains = min(max(chains, Self.chainRange.lowerBound), Self.chainRange.upperBound)
        start = environment.state
        executed = [environment.geometry.agent]
        goalRNG = RNG(seed: seed, stream: 1)
    }

    /// The picture of the current moment.
    public var scene: Scene {
        var shown = traces
        shown.executed = executed
        return Scene(geometry: environment.geometry, traces: shown, heatmap: showsHeatmap ? heatmap : nil)
    }

    /// How `scene` maps onto the `width` × `height` picture.
    public var pixelMap: PixelMap { scene.pixelMap(width: width, height: height) }

    /// One control step, unless paused or the episode is over.
    public mutating func advance() {
        guard !paused, !done else { return }
        let decision = controller.decide(in: environment, chains: chains)
        traces = decision.traces
        traces.executed = []
        if let ms = decision.planMilliseconds { planMilliseconds = ms }
        // Cannot throw: the episode is running, and a non-finite action is a controller bug
        // that must not take the viewer down — the step is then simply not taken.
        guard let result = try? environment.step(decision.action) else { return }
        executed.append(environment.geometry.agent)
        success = result.info.success
        done = result.done
        refreshHeatmap()
    }

    /// Applies a key press or click (see `ViewerInput`); refused inputs set `notice`.
    public mutating func handle(_ input: ViewerInput) {
        notice = nil
        switch input {
        case .togglePause: paused.toggle()
        case .toggleHeatmap:
            showsHeatmap.toggle()
            refreshHeatmap()
        case .moreChains: chains = min(chains * 2, Self.chainRange.upperBound)
        case .fewerChains: chains = max(chains / 2, Self.chainRange.lowerBound)
        case .reset: restart(from: start, goal: environment.geometry.goal)
        case .newGoal: restart(from: environment.state, goal: environment.sampleGoal(using: &goalRNG))
        case .click(let pixel): restart(from: environment.state, goal: pixelMap.world(pixel))
        }
    }

    /// A new episode; a goal the environment rejects leaves everything as it was and sets
    /// `notice`. A new goal starts from where the agent is, so it keeps moving on screen.
    private mutating func restart(from state: [Double], goal: SIMD2<Double>) {
        var next = environment
        do {
            try next.reset(seed: seed, start: state, goal: goal)
        } catch {
            notice = "rejected: \(error)"
            return
        }
        environment = next
        start = state
        controller.reset()
        traces = SceneTraces()
        executed = [environment.geometry.agent]
        success = false
        done = false
        // A controller's field may depend on the goal, so a new episode always recomputes it.
        heatmapState = nil
        refreshHeatmap()
    }

    /// Asks the controller for the field of the current state, unless the heatmap is hidden
    /// or already shows this state: a model's field costs a batch of network evaluations.
    private mutating func refreshHeatmap() {
        guard showsHeatmap, heatmapState != environment.state else { return }
        heatmap = controller.heatmap(for: environment)
        heatmapState = environment.state
    }

    /// A one-line summary for the window title.
    public var title: String {
        var parts = [
            "ebm-view", environment.kind.rawValue, "step \(environment.steps)/\(environment.timeLimit)",
            "success \(success ? "yes" : "no")", "planner \(controller.name)", "chains \(chains)",
        ]
        if let planMilliseconds { parts.append("plan \((planMilliseconds * 10).rounded() / 10) ms") }
        parts.append("heatmap \(showsHeatmap ? (heatmap == nil ? "on (no source)" : "on") : "off")")
        if done { parts.append("done (R: reset)") }
        if paused { parts.append("paused") }
        if let notice { parts.append(notice) }
        return parts.joined(separator: " · ")
    }
}
