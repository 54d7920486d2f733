import EBMCore
import EBMEnvironments

/// Experiment (b), unseen obstacles (SPEC §7): models trained without obstacles meet one at
/// test time, given to the planners only as cost. The energy planner searches state space, so
/// the obstacle cost acts on the states it will visit; the feed-forward baseline searches
/// action space through its learned dynamics, which know nothing of the obstacle and can be
/// exploited by action sequences the data never showed.
///
/// Both planners run the same seeded episodes (`Evaluator` with obstacles: every start and
/// goal lie on opposite sides of an obstacle) with their standard presets.
public struct ObstacleExperiment: Sendable {
    public var episodes: Int
    public var seed: UInt64
    public var obstacles: [Obstacle] = [.rectangle(Box(xmin: -0.2, ymin: -0.2, xmax: 0.2, ymax: 0.2))]
    /// The energy planner first, then the baseline.
    public var planners: [PlannerKind] = [.langevin, .cem]
    /// Episodes whose executed paths are kept for the figure.
    public var pathsKept = 8

    public init(episodes: Int, seed: UInt64) {
        self.episodes = episodes
        self.seed = seed
    }

    /// One planner's summary line.
    public struct PlannerSummary: Codable, Sendable {
        public var experiment = "obstacles"
        public var planner: String
        public var summary: EvaluationSummary
    }

    /// Every episode of every planner, each planner's summary, and the first episodes' paths.
    public struct Result: Sendable {
        public var records: [EpisodeRecord]
        public var summaries: [PlannerSummary]
        /// Per planner (in `planners` order), the executed goal-space paths of the first
        /// `pathsKept` episodes.
        public var paths: [[[SIMD2<Double>]]]
    }

    /// Runs the episodes with `models` (named `modelName` in the records); `progress` sees the
    /// planner at work and how many episodes of all planners are done.
    public func run(models: AgentModels, modelName: String, progress: (PlannerKind, Int) -> Void = { _, _ in }) throws -> Result {
        guard episodes > 0 else { throw EvaluationError("episodes must be at least 1, got \(episodes)") }
        let evaluator = Evaluator(episodes: episodes, seed: seed, obstacles: obstacles)
        var result = Result(records: [], summaries: [], paths: [])
        var done = 0
        for planner in planners {
            let preset = PlanningPreset.standard(for: .particle, planner: planner)
            var paths: [[SIMD2<Double>]] = []
            let records = try evaluator.run(
                environment: Particle(), planner: planner.rawValue, model: modelName,
                makeController: { env in
                    try Agents.controller(for: env, obstacles: obstacles, planner: planner, models: models, preset: preset)
                },
                progress: { record, outcome in
                    if paths.count < pathsKept { paths.append(outcome.path.map { SIMD2($0[0], $0[1]) }) }
                    done += 1
                    progress(planner, done)
                })
            result.records += records
            result.summaries.append(PlannerSummary(planner: planner.rawValue, summary: EvaluationSummary(records)))
            result.paths.append(paths)
        }
        return result
    }
}
