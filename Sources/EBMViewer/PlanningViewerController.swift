import EBMCore
import EBMEnvironments
import EBMPlanners
import EBMRender

/// Drives the viewed environment with model-predictive control as `ebm-plan` does
/// (`Agents.controller` with the environment's `PlanningPreset`), and shows what the planner
/// considered: every sampled future with its cost and the chosen plan, in goal space.
///
/// The MPC controller is built for one goal and one chain count, so it is rebuilt after a
/// reset (new goal) and whenever +/− changes the chains; in between it warm-starts each plan
/// from the previous one.
public struct PlanningViewerController: ViewerController {
    /// Which planner `Agents.controller` builds.
    public let planner: PlannerKind
    /// The learned models the planner uses.
    public let models: AgentModels
    /// The preset's chain count for the environment it was created for, the session's start.
    public let defaultChains: Int
    private var mpc: MPCController?
    private var builtChains = 0
    private var rng: RNG

    /// A controller for `environment`'s kind; throws the planner's one-line error when it
    /// cannot run there (no energy model, no inverse dynamics, planner not available), so that
    /// a bad choice fails at start instead of leaving an idle window.
    public init(planner: PlannerKind, models: AgentModels, environment: ViewedEnvironment, seed: UInt64) throws {
        self.planner = planner
        self.models = models
        defaultChains = PlanningPreset.standard(for: environment.kind).langevin.chains
        // The stream ebm-plan plans with, so the same seed and episode give the same plans.
        rng = RNG(seed: seed, stream: 1 << 32)
        mpc = try Self.controller(for: environment, planner: planner, models: models, chains: defaultChains)
        builtChains = defaultChains
    }

    public var name: String { planner.rawValue }

    public mutating func reset() {
        mpc = nil
    }

    public mutating func decide(in environment: ViewedEnvironment, chains: Int) -> ControllerDecision {
        if mpc == nil || chains != builtChains {
            // Cannot fail: `init` built a controller with the same planner and models for this
            // environment kind, and only the goal and the chain count differ.
            mpc = try? Self.controller(for: environment, planner: planner, models: models, chains: chains)
            builtChains = chains
        }
        guard let action = mpc?.action(for: environment.state.map(Float.init), rng: &rng), let controller = mpc else {
            return ControllerDecision(action: .zero)
        }
        // A diverged plan must not stall the episode: stand still for a step, as `EpisodeRunner` does.
        let finite = action.map { Double($0.isFinite ? $0 : 0) }
        let traces: SceneTraces
        switch environment {
        case .particle(let env): traces = SceneTraces(planner: controller.planner, in: env)
        case .maze(let env): traces = SceneTraces(planner: controller.planner, in: env)
        case .reacher(let env): traces = SceneTraces(planner: controller.planner, in: env)
        }
        let milliseconds = controller.didPlan ? controller.planningTimes.last.map { $0 * 1000 } : nil
        return ControllerDecision(action: SIMD2(finite[0], finite[1]), traces: traces, planMilliseconds: milliseconds)
    }

    /// E(s, ·) of the energy model around the point's current position (particle and maze;
    /// the reacher's 4-D state has no planar picture).
    public func heatmap(for environment: ViewedEnvironment) -> Heatmap? {
        guard let energy = models.energy, environment.kind != .reacher else { return nil }
        let geometry = environment.geometry
        return TransitionEnergyHeatmap(energy: energy).heatmap(around: geometry.agent, within: geometry.bounds)
    }

    private static func controller(for environment: ViewedEnvironment, planner: PlannerKind, models: AgentModels,
                                   chains: Int) throws -> MPCController {
        var preset = PlanningPreset.standard(for: environment.kind, planner: planner)
        preset.langevin.chains = chains
        switch environment {
        case .particle(let env):
            return try Agents.controller(for: env, obstacles: env.obstacles, planner: planner, models: models, preset: preset)
        case .maze(let env):
            return try Agents.controller(for: env, obstacles: env.obstacles, planner: planner, models: models, preset: preset)
        case .reacher(let env):
            return try Agents.controller(for: env, obstacles: [], planner: planner, models: models, preset: preset)
        }
    }
}
