import ArgumentParser
import EBMCommandLine
import EBMCore
import EBMEnvironments
import EBMPlanners
import EBMRender
import EBMViewer
import Foundation

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan and execute one episode with the embedded model (the default sub-command).",
        discussion: """
        Example: ebm-plan --env reacher --goal 0.1,0.12 --svg out/reacher.svg
        The goal is a point in goal space (particle/maze: the position; reacher: the fingertip, \
        at most 0.21 from the base). Prints a one-line report; --svg/--png draw every sampled \
        future of the first plan (colour by cost), the chosen plan and the executed path.
        """)

    @OptionGroup var agent: AgentOptions

    @Option(parsing: .unconditional, help: "Goal x,y (default: drawn from the environment's episode distribution).")
    var goal: String?

    @Option(parsing: .unconditional, help: "Start state (particle/maze: x,y; reacher: q1,q2,q̇1,q̇2; default: drawn).")
    var start: String?

    @Option(help: "SVG picture to write.")
    var svg: String?

    @Option(help: "PNG picture to write.")
    var png: String?

    func run() throws {
        BLAS.setThreads(1)
        let outputs = [svg, png].compactMap { $0 }.map { URL(fileURLWithPath: $0) }
        for url in outputs { try prepareOutputDirectory(for: url) }
        let (models, modelName) = try agent.models()
        let episode = PlanEpisode(
            planner: try agent.plannerKind, models: models, modelName: modelName, seed: agent.seed,
            goal: try goal.map { try numbers($0, count: 2, what: "--goal") },
            start: try start.map { try numbers($0, what: "--start") },
            obstacles: try agent.obstacles)
        let result = try agent.kind.accept(episode)
        print(result.report)
        if let svg { try SVGDocument(scene: result.scene, width: 640, height: 640).write(to: URL(fileURLWithPath: svg)) }
        if let png { try RasterCanvas(scene: result.scene, width: 640, height: 640).image.write(to: URL(fileURLWithPath: png)) }
    }
}

/// One planned episode in a concrete environment: the report line and the picture.
struct PlanEpisode: EnvironmentVisitor {
    var planner: PlannerKind
    var models: AgentModels
    var modelName: String
    var seed: UInt64
    var goal: [Double]?
    var start: [Double]?
    var obstacles: [Obstacle]

    func visit<E: Environment>(_ environment: E) throws -> (report: String, scene: Scene) {
        var env = environment
        let startState: E.State? = try start.map { try E.vector($0, as: .start) }
        let goalPoint: SIMD2<Double>? = try goal.map { try E.vector($0, as: .goal) }
        try env.reset(seed: seed, start: startState, goal: goalPoint, obstacles: obstacles)
        let initial = env
        let kind = try EnvironmentKind(named: E.name)
        var controller = try Agents.controller(for: env, obstacles: obstacles, planner: planner, models: models,
                                               preset: .standard(for: kind, planner: planner))
        var rng = RNG(seed: seed, stream: 1 << 32)
        var traces = SceneTraces()
        let outcome = try EpisodeRunner.run(&env, controller: &controller, rng: &rng) { _, controller in
            guard traces.futures.isEmpty else { return }
            traces = SceneTraces(planner: controller.planner, in: initial)
        }
        traces.executed = outcome.path.map { initial.goalPoint(of: E.State($0)) }
        let ms = outcome.controlTimes.map { $0 * 1000 }
        let meanMs = ms.reduce(0, +) / Double(max(ms.count, 1))
        let p95 = ms.sorted()[min(ms.count - 1, Int((0.95 * Double(ms.count)).rounded(.up)) - 1)]
        let report = String(format: "%@ %@ (%@): %@ in %d steps, final distance %.4f, return %.3f, blocked %d, planning %.2f ms/step (p95 %.2f)",
                            E.name, planner.rawValue, modelName, outcome.success ? "reached the goal" : "did not reach the goal",
                            outcome.steps, outcome.finalDistance, outcome.totalReturn, outcome.blockedSteps, meanMs, p95)
        return (report, Scene(geometry: env.geometry, traces: traces))
    }
}
