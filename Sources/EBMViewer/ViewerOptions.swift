import ArgumentParser
import EBMEnvironments
import EBMPlanners
import Foundation

/// `ebm-view`'s command line, parsed and turned into a session without any GL, so that it can
/// be tested on machines with no display.
public struct ViewerOptions: ParsableArguments {
    @Option(help: "Environment: \(EnvironmentKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    public var env: String = EnvironmentKind.particle.rawValue

    @Option(help: """
        Planner: \(PlannerKind.allCases.map(\.rawValue).joined(separator: ", ")) as in ebm-plan, or \
        '\(ViewerOptions.randomActions)', which drives with uniformly random actions and needs no model.
        """)
    public var planner: String = PlannerKind.langevin.rawValue

    @Option(help: "Model file (safetensors from `ebm-plan train`); default: the embedded model of --env.")
    public var model: String?

    @Option(parsing: .unconditional,
            help: "Start state (particle/maze: x,y; reacher: q1,q2,q̇1,q̇2; default: random from --seed).")
    public var start: String?

    // `.unconditional` so that values starting with a minus sign are not read as options.
    @Option(parsing: .unconditional, help: "Goal x,y (reacher: fingertip within 0.21 of the base; default: random from --seed).")
    public var goal: String?

    @Option(parsing: .unconditionalSingleValue,
            help: "Rectangular obstacle xmin,ymin,xmax,ymax (particle and maze; repeatable).")
    public var obstacle: [String] = []

    @Option(parsing: .unconditionalSingleValue, help: "Circular obstacle cx,cy,r (particle and maze; repeatable).")
    public var circle: [String] = []

    @Option(help: "Random seed of the episode and the controller.")
    public var seed: UInt64 = 0

    @Option(help: "Window width and height in pixels (\(ViewerOptions.sizeRange.lowerBound)–\(ViewerOptions.sizeRange.upperBound)).")
    public var size: Int = 640

    @Flag(help: "Start with the heatmap of the model's energy E(s, ·) shown (H toggles it; particle and maze).")
    public var heatmap = false

    @Option(help: "Render headless, write the last frame to this PNG file and exit.")
    public var screenshot: String?

    @Option(help: "Frames (one control step each) to render before the screenshot (default \(ViewerOptions.defaultFrames)).")
    public var frames: Int?

    /// Defaults for every option (as ArgumentParser requires).
    public init() {}

    /// Accepted `--size` values.
    public static let sizeRange = 64...4096
    /// Frames rendered for `--screenshot` without `--frames`.
    public static let defaultFrames = 60
    /// The `--planner` value of the model-free random controller.
    public static let randomActions = "random-actions"

    /// Frames to render before writing the screenshot, or `nil` for an interactive window.
    public func screenshotFrames() throws -> Int? {
        if let frames, frames < 1 { throw ViewerError("--frames must be at least 1, got \(frames)") }
        guard screenshot != nil else {
            if frames != nil { throw ViewerError("--frames only applies with --screenshot FILE.png") }
            return nil
        }
        return frames ?? Self.defaultFrames
    }

    /// The session these options describe, driven by `--planner` with `--model` (or the
    /// embedded model); every bad value is one `ViewerError`, `EnvironmentError` or
    /// `TransitionModelError` line.
    public func makeSession() throws -> ViewerSession {
        guard Self.sizeRange.contains(size) else {
            throw ViewerError("--size must be between \(Self.sizeRange.lowerBound) and \(Self.sizeRange.upperBound), got \(size)")
        }
        _ = try screenshotFrames()
        let kind = try EnvironmentKind(named: env)
        let goalPoint = try goal.map { text -> SIMD2<Double> in
            let v = try Self.numbers(text, option: "--goal", expected: "x,y", count: 2)
            return SIMD2(v[0], v[1])
        }
        let startState = try start.map {
            try Self.numbers($0, option: "--start", expected: kind == .reacher ? "q1,q2,q̇1,q̇2" : "x,y",
                             count: kind == .reacher ? 4 : 2)
        }
        let obstacles = try obstacle.map {
            try Obstacle(Self.numbers($0, option: "--obstacle", expected: "xmin,ymin,xmax,ymax", count: 4))
        } + circle.map {
            try Obstacle(Self.numbers($0, option: "--circle", expected: "cx,cy,r", count: 3))
        }
        let environment = try ViewedEnvironment(kind: kind, seed: seed, start: startState, goal: goalPoint,
                                                obstacles: obstacles)
        let (controller, chains) = try makeController(for: environment)
        var session = ViewerSession(environment: environment, controller: controller, seed: seed, width: size,
                                    height: size, chains: chains)
        if heatmap { session.handle(.toggleHeatmap) }
        return session
    }

    /// The `--planner` for `environment` with the chain count it starts with.
    private func makeController(for environment: ViewedEnvironment) throws -> (any ViewerController, chains: Int) {
        if planner == Self.randomActions {
            if model != nil { throw ViewerError("--model needs a planner that uses it; --planner \(Self.randomActions) takes random actions") }
            return (RandomController(seed: seed), ViewerSession.defaultChains)
        }
        guard let kind = PlannerKind(rawValue: planner) else {
            throw ViewerError("unknown planner '\(planner)'; expected one of \((PlannerKind.allCases.map(\.rawValue) + [Self.randomActions]).joined(separator: ", "))")
        }
        let bundle = try model.map { try TransitionModelBundle.load(from: URL(fileURLWithPath: $0), environment: environment.kind) }
            ?? TransitionModelBundle.embedded(for: environment.kind)
        let controller = try PlanningViewerController(planner: kind, models: bundle.agentModels, environment: environment,
                                                      seed: seed)
        return (controller, controller.defaultChains)
    }

    /// `count` finite comma-separated numbers.
    static func numbers(_ text: String, option: String, expected: String, count: Int) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let values = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == count, values.count == count, values.allSatisfy(\.isFinite) else {
            throw ViewerError("\(option) '\(text)' must be \(count) finite numbers \(expected)")
        }
        return values
    }
}
