import EBMCore
import EBMEnvironments
import Foundation

/// Experiment (a), online learning (SPEC §7): success rate against environment steps for the
/// EBM and the baselines (feed-forward dynamics, random exploration), each trained from
/// scratch by the same online loop (`OnlineTrainer`) under the same budget, over several seeds.
///
/// At step 0 and at every budget point the current model is evaluated with its planner (the
/// trainer's preset, adapted effort included) on one fixed set of `Evaluator` episodes, the
/// same for every method and seed and disjoint from training (which draws its own episodes).
public struct OnlineExperiment: Sendable {
    public var budget: Int
    /// Evaluations after step 0: see `budgetPoints`.
    public var points: Int
    public var seeds: [UInt64]
    public var methods: [OnlineMethod] = OnlineMethod.allCases
    public var evaluationEpisodes: Int
    public var evaluationSeed: UInt64 = 1_000_000
    /// Obstacles of the evaluation episodes only (training never sees one; the planners get
    /// them as cost): whether the learnt model plans feasible steps around them, where
    /// free-space goals can be reached by steering straight at the goal without any model.
    public var evaluationObstacles: [Obstacle] = []
    public var settings = OnlineTrainingSettings()

    public init(budget: Int, points: Int, seeds: [UInt64], evaluationEpisodes: Int) {
        self.budget = budget
        self.points = points
        self.seeds = seeds
        self.evaluationEpisodes = evaluationEpisodes
    }

    /// One method and seed evaluated at one budget point.
    public struct Point: Codable, Sendable, Equatable {
        public var experiment = "online"
        public var method: OnlineMethod
        public var seed: UInt64
        public var steps: Int
        public var successRate: Double
        public var meanFinalDistance: Double
        /// Warm-start planner iterations at this point (the EBM's adapted effort; nil for FF).
        public var planIterations: Int?
        /// Training episodes finished so far and their success rate.
        public var trainingEpisodes: Int
        public var trainingSuccessRate: Double?

        enum CodingKeys: String, CodingKey {
            case experiment, method, seed, steps, successRate = "success_rate", meanFinalDistance = "mean_final_distance"
            case planIterations = "plan_iterations", trainingEpisodes = "training_episodes"
            case trainingSuccessRate = "training_success_rate"
        }
    }

    /// One method's curve over seeds.
    public struct Curve: Codable, Sendable {
        public var method: OnlineMethod
        public var mean: [Double]
        public var min: [Double]
        public var max: [Double]
    }

    /// The summary line.
    public struct Summary: Codable, Sendable {
        public var experiment = "online"
        public var env: String
        /// Where the models start: untrained (no pretraining of any kind).
        public var start = "untrained"
        public var budget: Int
        public var environments: Int
        public var seeds: [UInt64]
        public var evaluationEpisodes: Int
        /// Unseen obstacles in the evaluation episodes.
        public var evaluationObstacles: Int
        public var steps: [Int]
        public var curves: [Curve]
        /// Mean EBM success rate ≥ the FF baseline's at the last budget point.
        public var ebmAtLeastFF: Bool?

        enum CodingKeys: String, CodingKey {
            case experiment, env, start, budget, environments, seeds, steps, curves
            case evaluationEpisodes = "evaluation_episodes", evaluationObstacles = "evaluation_obstacles"
            case ebmAtLeastFF = "ebm_at_least_ff"
        }
    }

    /// Step 0 and budget·k/points for k = 1…points, each rounded up to whole rounds.
    var budgetPoints: [Int] {
        let n = settings.environments
        return [0] + (1...points).map { (budget * $0 / points + n - 1) / n * n }
    }

    /// Runs every method and seed in `environment`; `progress` sees the environment steps done
    /// over all runs.
    public func run<E: Environment>(environment: E, progress: (Int) -> Void = { _ in }) throws -> (points: [Point], summary: Summary) {
        guard points > 0, budget >= points * settings.environments, !seeds.isEmpty, evaluationEpisodes > 0 else {
            throw EvaluationError("online needs a budget of at least \(settings.environments) steps per point, one point, one seed and one evaluation episode")
        }
        var all: [Point] = []
        var done = 0
        for seed in seeds {
            for method in methods {
                var trainer = try OnlineTrainer(environment: environment, method: method, settings: settings, seed: seed)
                for target in budgetPoints {
                    let before = trainer.environmentSteps
                    try trainer.train(untilSteps: target) { p in progress(done + p.environmentSteps - before) }
                    done += trainer.environmentSteps - before
                    all.append(try evaluate(trainer, in: environment, seed: seed))
                }
            }
        }
        let steps = budgetPoints
        let curves = methods.map { method -> Curve in
            let rates = steps.map { s in all.filter { $0.method == method && $0.steps == s }.map(\.successRate) }
            return Curve(method: method, mean: rates.map { $0.reduce(0, +) / Double($0.count) },
                         min: rates.map { $0.min()! }, max: rates.map { $0.max()! })
        }
        let ebm = curves.first { $0.method == .ebm }, ff = curves.first { $0.method == .ff }
        let ahead = ebm.flatMap { e in ff.map { e.mean.last! >= $0.mean.last! } }
        return (all, Summary(env: E.name, budget: budget, environments: settings.environments, seeds: seeds,
                             evaluationEpisodes: evaluationEpisodes, evaluationObstacles: evaluationObstacles.count, steps: steps, curves: curves, ebmAtLeastFF: ahead))
    }

    /// The trainer's current model on the fixed evaluation episodes, in two shards on two
    /// threads (each with its own copy of the networks); the records do not depend on the split.
    func evaluate<E: Environment>(_ trainer: OnlineTrainer<E>, in environment: E, seed: UInt64) throws -> Point {
        let shards = min(2, evaluationEpisodes)
        var results = [Result<[EpisodeRecord], Error>?](repeating: nil, count: shards)
        let (method, preset, models, episodes, evaluationSeed, obstacles) = (trainer.method, trainer.preset, trainer.agentModels,
                                                                             evaluationEpisodes, evaluationSeed, evaluationObstacles)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: shards) { shard in
                let copy = AgentModels(energy: models.energy?.copy(), inverseDynamics: models.inverseDynamics?.copy(),
                                       forwardDynamics: models.forwardDynamics?.copy(), feasibleEnergy: models.feasibleEnergy)
                let evaluator = Evaluator(episodes: episodes, seed: evaluationSeed, obstacles: obstacles,
                                          shardIndex: shard, shardCount: shards)
                out[shard] = Result {
                    try evaluator.run(environment: environment, planner: method.planner.rawValue, model: "online") { env in
                        try Agents.controller(for: env, obstacles: obstacles, planner: method.planner, models: copy, preset: preset)
                    }
                }
            }
        }
        let records = try results.flatMap { try $0!.get() }
        let n = Double(records.count)
        return Point(method: method, seed: seed, steps: trainer.environmentSteps,
                     successRate: Double(records.filter(\.success).count) / n,
                     meanFinalDistance: records.map(\.finalDistance).reduce(0, +) / n,
                     planIterations: trainer.planIterations, trainingEpisodes: trainer.episodes,
                     trainingSuccessRate: trainer.episodes > 0 ? Double(trainer.successes) / Double(trainer.episodes) : nil)
    }
}
