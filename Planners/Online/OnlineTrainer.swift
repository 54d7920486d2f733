import EBMCore
import EBMEnvironments
import Foundation

/// One round as the progress callback sees it.
public struct OnlineTrainingProgress: Sendable {
    public var rounds: Int
    public var environmentSteps: Int
    public var statistics: OnlineLearningStatistics
    /// Warm-start Langevin iterations per planning call (the EBM's adapted effort).
    public var planIterations: Int?
    /// Training episodes finished so far and how many reached the goal.
    public var episodes: Int
    public var successes: Int
}

/// The paper's online loop (SPEC §5, reference §3.3, without its listed bugs), for one method.
///
/// Each round every one of N environments plans from its current state with the current model
/// (in parallel: one read-only replica per environment), executes one step and reports the
/// observed transition and the plan's first transition. The observed ones go to the positive
/// replay; one optimiser step then learns from them plus replayed positives (and, for the
/// energy, the planned ones and any refused moves as negatives). An environment whose episode
/// ends — goal reached or time limit — starts its next episode alone; the others carry on.
/// Every `adaptEvery` rounds the EBM's planner gets more iterations while E⁻ − E⁺ exceeds the
/// threshold; the new effort takes effect through a cold replan.
///
/// The budget is environment steps, N per round, the same count for every method. Every random
/// draw of round k comes from streams of (seed, k) — one per environment, one for learning —
/// so a run is the same for a seed whatever the thread timing.
///
/// Checkpoints are `TransitionModelBundle` files holding the models, the optimiser moments,
/// both replay buffers and the loop's counters. A resumed run continues training from them
/// exactly, but every environment starts a new episode (an episode's own progress and warm
/// plans are not saved).
public struct OnlineTrainer<E: Environment> {
    public let method: OnlineMethod
    public let settings: OnlineTrainingSettings
    public let seed: UInt64
    /// The planning preset in use, with the adapted iteration counts.
    public private(set) var preset: PlanningPreset
    public private(set) var rounds = 0
    /// Training episodes finished and how many reached the goal.
    public private(set) var episodes = 0
    public private(set) var successes = 0

    private var models: TransitionModelBundle
    private var learner: any OnlineLearner
    private var workers: [OnlineWorker<E>] = []
    /// Observed transitions as rows [s_t, s_t+1, a_t].
    private var positives: ReplayBuffer
    /// Refused moves as rows [s_t, observed s_t+1, commanded s_t+1].
    private var refused: ReplayBuffer
    private var gaps: [Float] = []
    /// The longest step along either goal-space coordinate among the observed transitions:
    /// the reach of the step-limit hinge, for presets that have one (`stepLimitWeight` > 0).
    ///
    /// An energy trained by CD prices every step beyond the reach about alike (its optimum is
    /// bounded by α), so nothing pulls an over-long planned step back: near an obstacle the plan
    /// jumps past it and the executed, shorter step is blocked. The action-space baseline never
    /// faces this, as its CEM searches within the action bounds it is given; the hinge gives the
    /// state-space planner the same bound, learnt from what the world did. Measured on the
    /// particle with the unseen obstacle (seed 0, 40 episodes, r² goal): 22 / 25 successes after
    /// 500 / 2000 steps without the hinge, 39 / 38 with it. No weighting of the energy alone closed
    /// the gap (α 0.1, weight 3 to 50, as a sum or a constraint: 0 to 27 at 2000 steps).
    public var observedReach: Float? { preset.stepLimitWeight > 0 ? preset.stepReach : nil }

    /// Environment steps taken so far (all environments).
    public var environmentSteps: Int { rounds * settings.environments }
    /// Warm-start iterations of the EBM's Langevin planner (the adapted effort); nil for FF,
    /// whose CEM effort is fixed.
    public var planIterations: Int? { method.learnsEnergy ? preset.langevin.warmIterations : nil }
    /// The current models (the trained one is the method's; the other keeps its initial values).
    public var agentModels: AgentModels { models.agentModels }

    /// The planning defaults of online training: the standard preset, replanning every step,
    /// with the step-limit hinge's reach not given but learnt — none before the first step,
    /// then the longest step observed so far (`observedReach`).
    public static func preset(for kind: EnvironmentKind, method: OnlineMethod) -> PlanningPreset {
        var preset = PlanningPreset.standard(for: kind, planner: method.planner)
        preset.stepReach = nil
        preset.replanThreshold = nil
        if kind == .particle && method.learnsEnergy {
            // Near the goal r² fades and the learnt energy's own preferences among short steps
            // outweigh it: plans stalled ≈ 0.02 short. `experiment online` at 2000 steps (3
            // seeds, 20 episodes), r² → pseudo-Huber: 92 → 100 % in free space, 97 → 100 % with
            // the unseen obstacle.
            preset.goalDistance = .pseudoHuber(delta: 0.01)
        }
        // The roadmap's path does the maze's planning; a few Langevin iterations refine it, more
        // pull it apart on an energy still being learnt (`OnlineTrainingSettings.standard(for:)`).
        if kind == .maze && method.learnsEnergy {
            (preset.langevin.iterations, preset.langevin.warmIterations) = (10, 10)
            // The roadmap's lattice steps are one reach long already. With the learnt hinge as
            // well, the CI-sized run learnt the walls less well (`mazeLearnsItsWallsOnline`:
            // refused moves ranked above their outcomes in 88 % of pairs, not > 90 %).
            preset.stepLimitWeight = 0
        }
        return preset
    }

    /// A fresh run from untrained models initialised from `seed`.
    public init(environment: E, method: OnlineMethod, settings: OnlineTrainingSettings = OnlineTrainingSettings(),
                seed: UInt64) throws {
        let kind = try EnvironmentKind(named: E.name)
        try self.init(environment: environment, method: method, settings: settings, seed: seed,
                      models: TransitionModelBundle(configuration: .standard(for: kind), seed: seed), resuming: false)
    }

    /// Continues the run saved in `bundle` (a checkpoint written by `train`).
    public init(resuming bundle: TransitionModelBundle, environment: E,
                settings: OnlineTrainingSettings = OnlineTrainingSettings()) throws {
        guard let methodName = bundle.info["online_method"], let method = OnlineMethod(rawValue: methodName),
              let seedText = bundle.info["seed"], let seed = UInt64(seedText) else {
            throw TransitionModelError("the model has no online training state to resume from")
        }
        try self.init(environment: environment, method: method, settings: settings, seed: seed, models: bundle, resuming: true)
    }

    private init(environment: E, method: OnlineMethod, settings: OnlineTrainingSettings, seed: UInt64,
                 models: TransitionModelBundle, resuming: Bool) throws {
        if let problem = settings.problem { throw TransitionModelError("invalid online settings: \(problem)") }
        guard environment is any ExactInverseDynamics else {
            throw TransitionModelError("online training needs an environment with an analytic inverse (particle, maze), not \(E.name)")
        }
        guard models.environment.rawValue == E.name else {
            throw TransitionModelError("the model is for \(models.environment.rawValue), the environment is \(E.name)")
        }
        self.method = method
        self.settings = settings
        self.seed = seed
        self.models = models
        preset = Self.preset(for: models.environment, method: method)
        let d = models.configuration.stateDimension, a = models.configuration.actionDimension
        positives = ReplayBuffer(capacity: settings.positiveReplayCapacity, rowWidth: 2 * d + a, policy: .fifo)
        refused = ReplayBuffer(capacity: settings.positiveReplayCapacity, rowWidth: 3 * d, policy: .fifo)
        switch method {
        case .ebm, .random: learner = EnergyLearner(energy: models.energy, settings: settings)
        case .ff: learner = DynamicsLearner(forward: models.forwardDynamics, configuration: models.configuration, settings: settings)
        }
        var started = [Int](repeating: 0, count: settings.environments)
        if resuming { started = try restore(models) }
        workers = (0..<settings.environments).map { i in
            OnlineWorker(index: i, environment: environment, replica: learner.network.copy(), episodes: started[i],
                         randomStarts: settings.randomStarts)
        }
        for i in workers.indices { try workers[i].startEpisode(seed: seed) }
    }

    // MARK: Training

    /// Runs rounds until at least `steps` environment steps are taken, saving a checkpoint to
    /// `checkpoint` every `checkpointEvery` rounds and after the last one.
    public mutating func train(untilSteps steps: Int, checkpoint: URL? = nil, checkpointEvery: Int? = nil,
                               progress: (OnlineTrainingProgress) -> Void = { _ in }) throws {
        while environmentSteps < steps {
            let stats = try round()
            progress(OnlineTrainingProgress(rounds: rounds, environmentSteps: environmentSteps, statistics: stats,
                                            planIterations: planIterations, episodes: episodes, successes: successes))
            if let checkpoint, environmentSteps >= steps || checkpointEvery.map({ rounds % $0 == 0 }) == true {
                try bundle().save(to: checkpoint)
            }
        }
    }

    private mutating func round() throws -> OnlineLearningStatistics {
        let k = UInt64(rounds)
        let (method, preset, seed, level) = (method, preset, seed, models.feasibleEnergy)
        var results = [Result<OnlineStep, Error>?](repeating: nil, count: workers.count)
        workers.withUnsafeMutableBufferPointer { w in
            results.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: w.count) { i in
                    var rng = RNG(seed: seed, stream: k << 16 | UInt64(i))
                    out[i] = Result { try w[i].step(method: method, preset: preset, feasibleEnergy: level, seed: seed, rng: &rng) }
                }
            }
        }
        let steps = try results.map { try $0!.get() }
        for step in steps where step.episodeEnded {
            episodes += 1
            if step.success { successes += 1 }
        }

        var rng = RNG(seed: seed, stream: 0x6F6E_6C00_0000_0000 &+ k)
        let d = steps[0].state.count
        let fresh = Tensor(shape: [steps.count, positives.rowWidth], scalars: steps.flatMap { $0.state + $0.next + $0.action })
        let planned = Tensor(shape: [steps.count, 2 * d], scalars: steps.flatMap { $0.state + $0.planned })
        // Refused moves are only kept when the settings learn from them.
        let refusedNow = settings.refusedMoveNegatives == 0 ? [] : steps.flatMap { step in
            models.environment.refusedMove(from: step.state, to: step.next, action: step.action).map { step.state + step.next + $0 } ?? []
        }
        // Replayed positives are drawn before this round's join the buffer.
        let first = batch(fresh: fresh, planned: planned, rng: &rng)
        positives.add(fresh, rng: &rng)
        learnReach(from: steps)
        refused.add(Tensor(shape: [refusedNow.count / (3 * d), 3 * d], scalars: refusedNow), rng: &rng)
        let stats = try learner.learn(first, rng: &rng)
        for worker in workers { worker.replica.assignParameters(from: learner.network) }
        rounds += 1
        if method.learnsEnergy && rounds % settings.adaptEvery == 0 { measureFeasibleEnergy(rng: &rng) }
        if let gap = stats.energyGap { adaptEffort(gap) }
        return stats
    }

    /// The optimiser step's data: the round's observed transitions topped up with replayed
    /// ones, its planned transitions and, when the settings ask for them, replayed refused
    /// moves with what the world did instead.
    private func batch(fresh: Tensor, planned: Tensor, rng: inout RNG) -> OnlineBatch {
        let d = planned.rowWidth / 2
        let rows = Tensor.concatenatingRows([fresh, positives.sample(max(settings.positiveBatch - fresh.rows, 0), rng: &rng)])
        let actions = Tensor(shape: [rows.rows, positives.rowWidth - 2 * d],
                             scalars: (0..<rows.rows).flatMap { rows.row($0).dropFirst(2 * d) })
        var batch = OnlineBatch(positives: Self.transitions(of: rows, stateDimension: d), actions: actions, planned: planned)
        if settings.refusedMoveNegatives > 0 && refused.count > 0 {
            let known = refused.sample(settings.refusedMoveNegatives, rng: &rng)
            func columns(_ from: Int) -> Tensor {
                Tensor(shape: [known.rows, 2 * d], scalars: (0..<known.rows).flatMap { r in
                    let row = known.row(r)
                    return row[0..<d] + row[from..<(from + d)]
                })
            }
            (batch.refused, batch.refusedOutcomes) = (columns(2 * d), columns(d))
        }
        return batch
    }

    /// The level under which 90 % of the observed transitions lie (up to 2048 replayed ones),
    /// for presets that use the energy as a constraint; it moves with the energy, and each
    /// episode plans with the level of its start.
    private mutating func measureFeasibleEnergy(rng: inout RNG) {
        let sample = positives.sample(min(positives.count, 2048), rng: &rng)
        let d = models.configuration.stateDimension
        models.feasibleEnergy = TransitionModelBundle.feasibleLevel(of: learner.network, on: Self.transitions(of: sample, stateDimension: d))
    }

    /// The [s_t, s_t+1] part of positive-replay rows [s_t, s_t+1, a_t].
    private static func transitions(of rows: Tensor, stateDimension d: Int) -> Tensor {
        Tensor(shape: [rows.rows, 2 * d], scalars: (0..<rows.rows).flatMap { rows.row($0).prefix(2 * d) })
    }

    /// Lengthens the hinge's reach to the longest step of `steps` when that is longer; plans
    /// made with the shorter one are dropped.
    private mutating func learnReach(from steps: [OnlineStep]) {
        guard preset.stepLimitWeight > 0, case let .coordinates(x, y) = preset.map else { return }
        let longest = steps.map { step in [x, y].map { abs(step.next[$0] - step.state[$0]) }.max()! }.max()!
        guard longest > (preset.stepReach ?? 0) else { return }
        preset.stepReach = longest
        for i in workers.indices { workers[i].forgetPlans() }
    }

    /// The paper's adaptive sampling: more planning iterations while the energy still tells
    /// the planner's transitions from the world's.
    private mutating func adaptEffort(_ gap: Float) {
        gaps.append(gap)
        guard gaps.count == settings.adaptEvery else { return }
        let mean = gaps.reduce(0, +) / Float(gaps.count)
        gaps = []
        guard mean > settings.adaptThreshold, settings.iterationGrowth > 0 else { return }
        let cap = settings.maxPlanIterations
        let grown = (min(preset.langevin.iterations + settings.iterationGrowth, cap),
                     min(preset.langevin.warmIterations + settings.iterationGrowth, cap))
        guard grown != (preset.langevin.iterations, preset.langevin.warmIterations) else { return }
        (preset.langevin.iterations, preset.langevin.warmIterations) = grown
        for i in workers.indices { workers[i].forgetPlans() }
    }

    // MARK: Checkpoints

    /// The current models with everything `init(resuming:)` needs.
    public func bundle() -> TransitionModelBundle {
        var bundle = models
        bundle.trainingState = [:]
        learner.store(in: &bundle)
        bundle.storeReplay(positives, as: "positives")
        bundle.storeReplay(refused, as: "refused")
        bundle.info["online_method"] = method.rawValue
        bundle.info["seed"] = "\(seed)"
        bundle.info["rounds"] = "\(rounds)"
        bundle.info["environments"] = "\(settings.environments)"
        bundle.info["plan_iterations"] = "\(preset.langevin.iterations),\(preset.langevin.warmIterations)"
        bundle.info["observed_reach"] = observedReach.map { "\($0.bitPattern)" } ?? ""
        bundle.info["effort_gaps"] = gaps.map { "\($0.bitPattern)" }.joined(separator: ",")
        bundle.info["episodes"] = "\(episodes),\(successes)"
        // Each worker's count of started episodes, less the one in progress: it restarts.
        bundle.info["worker_episodes"] = workers.map { "\($0.episodes - 1)" }.joined(separator: ",")
        return bundle
    }

    /// Restores the counters and buffers of `bundle`; returns each worker's episode count.
    private mutating func restore(_ bundle: TransitionModelBundle) throws -> [Int] {
        func ints(_ key: String) -> [Int]? {
            bundle.info[key].map { $0.split(separator: ",", omittingEmptySubsequences: false).compactMap { Int($0) } }
        }
        guard let saved = ints("rounds"), saved.count == 1, saved[0] >= 0,
              let effort = ints("plan_iterations"), effort.count == 2,
              let counts = ints("episodes"), counts.count == 2,
              let started = ints("worker_episodes"), started.count == settings.environments,
              let gapText = bundle.info["effort_gaps"] else {
            throw TransitionModelError("the model's online training state is incomplete or was saved with another number of environments")
        }
        rounds = saved[0]
        (preset.langevin.iterations, preset.langevin.warmIterations) = (effort[0], effort[1])
        (episodes, successes) = (counts[0], counts[1])
        // Checkpoints from before the reach was learnt have none: the next round learns it.
        if let bits = bundle.info["observed_reach"].flatMap(UInt32.init) { preset.stepReach = Float(bitPattern: bits) }
        gaps = gapText.split(separator: ",").compactMap { UInt32($0) }.map(Float.init(bitPattern:))
        try learner.restore(from: bundle, steps: rounds)
        positives = try bundle.restoredReplay("positives", capacity: settings.positiveReplayCapacity, rowWidth: positives.rowWidth)
        refused = try bundle.restoredReplay("refused", capacity: settings.positiveReplayCapacity, rowWidth: refused.rowWidth)
        return started
    }
}
