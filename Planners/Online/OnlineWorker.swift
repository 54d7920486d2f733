import EBMCore
import EBMEnvironments

/// What one environment did in one round.
struct OnlineStep {
    var state: [Float]
    var next: [Float]
    var action: [Float]
    /// The executed plan's next state: where the planner expected `action` to lead.
    var planned: [Float]
    /// The episode ended with this step (success or time limit); the worker has started the next.
    var episodeEnded: Bool
    var success: Bool
}

/// One of the online loop's environments with its own episode, MPC controller and read-only
/// copy of the model. A network keeps its last activations, so planners on different threads
/// cannot share one; each worker's replica takes the trained values after every step.
struct OnlineWorker<E: Environment> {
    let index: Int
    private(set) var environment: E
    let replica: Network
    /// Episodes started so far; with the seed and `index` it seeds the next episode.
    private(set) var episodes: Int
    /// Episodes start anywhere free (`sampleStart`) instead of at the environment's own start.
    let randomStarts: Bool
    private var controller: MPCController?

    init(index: Int, environment: E, replica: Network, episodes: Int, randomStarts: Bool) {
        self.index = index
        self.environment = environment
        self.replica = replica
        self.episodes = episodes
        self.randomStarts = randomStarts
    }

    /// Starts the worker's next episode: the environment's own start (or a free one) and goal
    /// distribution, seeded by (seed, index, episode number), and a planner that starts cold.
    mutating func startEpisode(seed: UInt64) throws {
        var rng = RNG(seed: seed, stream: 0x6570_6900_0000_0000 | UInt64(index) << 32 | UInt64(episodes))
        let episodeSeed = rng.next()
        try environment.reset(seed: episodeSeed, start: randomStarts ? environment.sampleStart(using: &rng) : nil, goal: nil)
        episodes += 1
        controller = nil
    }

    /// Drops the current plans; the next step plans cold with the preset it is given.
    mutating func forgetPlans() { controller = nil }

    /// Plans from the current state, executes the plan's first action and, when that ends the
    /// episode, starts the next one. A new episode's planner prices the energy with
    /// `feasibleEnergy` when its preset uses the energy as a constraint. Everything random
    /// comes from `rng`, so the step depends on nothing another worker does.
    mutating func step(method: OnlineMethod, preset: PlanningPreset, feasibleEnergy: Float?, seed: UInt64,
                       rng: inout RNG) throws -> OnlineStep {
        if controller == nil {
            let models = method.learnsEnergy ? AgentModels(energy: replica, feasibleEnergy: feasibleEnergy) : AgentModels(forwardDynamics: replica)
            controller = try Agents.controller(for: environment, obstacles: [], planner: method.planner, models: models, preset: preset)
        }
        let state = E.array(environment.state).map(Float.init)
        var action = controller!.action(for: state, rng: &rng).map { $0.isFinite ? $0 : 0 }
        let planned = controller!.planner.plannedState(1)
        if method == .random { action = action.map { _ in rng.uniform(-1, 1) } }
        let result = try environment.step(action.map(Double.init))
        let step = OnlineStep(state: state, next: E.array(result.state).map(Float.init), action: action, planned: planned,
                              episodeEnded: result.done, success: result.info.success)
        if result.done { try startEpisode(seed: seed) }
        return step
    }
}
