import EBMCore
import EBMEnvironments

/// Headless evaluation (SPEC §7): N seeded episodes of a controller in an environment,
/// shardable, one `EpisodeRecord` per episode.
///
/// Episode `i` depends only on (seed, i): its start and goal come from `RNG(seed:, stream: i)`
/// and the controller's randomness from another stream of the same seed, so a shard computes
/// exactly the records a full run would.
public struct Evaluator {
    public var episodes: Int
    public var seed: UInt64
    /// Obstacles added to every episode (never seen in training; the planner gets them as cost).
    public var obstacles: [Obstacle]
    /// This process evaluates the episodes i with i % shardCount == shardIndex.
    public var shardIndex: Int
    public var shardCount: Int

    public init(episodes: Int, seed: UInt64, obstacles: [Obstacle] = [], shardIndex: Int = 0, shardCount: Int = 1) {
        self.episodes = episodes
        self.seed = seed
        self.obstacles = obstacles
        self.shardIndex = shardIndex
        self.shardCount = shardCount
    }

    /// Episode indices of this shard.
    public var episodeIndices: [Int] { (0..<episodes).filter { $0 % shardCount == shardIndex } }

    /// Least distance of an obstacle episode's start and goal from every obstacle.
    static let clearance = 0.05

    /// Resets `environment` for episode `i`: the environment's own episode distribution, or,
    /// with obstacles, a start and goal outside every obstacle (by `clearance`) whose straight
    /// segment crosses one, so that the obstacle matters.
    public func reset<E: Environment>(_ environment: inout E, episode i: Int) throws {
        let episodeSeed = seed &+ UInt64(i)
        guard !obstacles.isEmpty else {
            try environment.reset(seed: episodeSeed)
            return
        }
        func clear(_ p: SIMD2<Double>) -> Bool {
            obstacles.allSatisfy { $0.signedDistance(to: p) > Self.clearance }
        }
        var rng = RNG(seed: seed, stream: UInt64(i))
        for _ in 0..<10_000 {
            let start = environment.sampleStart(using: &rng)
            let goal = environment.sampleGoal(using: &rng)
            let a = environment.goalPoint(of: start)
            guard clear(a), clear(goal), obstacles.contains(where: { $0.intersects(segmentFrom: a, to: goal) }) else { continue }
            try environment.reset(seed: episodeSeed, start: start, goal: goal, obstacles: obstacles)
            return
        }
        throw EvaluationError("found no start and goal on opposite sides of the obstacles in 10000 draws")
    }

    /// Runs this shard's episodes; `makeController` builds a fresh controller for an episode's
    /// environment (its task cost needs the goal and obstacles), `progress` sees each record
    /// with the episode's outcome (its path, for pictures).
    public func run<E: Environment, C: Controller>(
        environment: E, planner: String, model: String,
        makeController: (E) throws -> C,
        progress: (EpisodeRecord, EpisodeOutcome) -> Void = { _, _ in }
    ) throws -> [EpisodeRecord] {
        var records: [EpisodeRecord] = []
        for i in episodeIndices {
            var env = environment
            try reset(&env, episode: i)
            var controller = try makeController(env)
            var rng = RNG(seed: seed, stream: 1 << 32 | UInt64(i))
            let outcome = try EpisodeRunner.run(&env, controller: &controller, rng: &rng)
            let record = EpisodeRecord(env: E.name, planner: planner, model: model, seed: seed, episode: i, outcome: outcome)
            records.append(record)
            progress(record, outcome)
        }
        return records
    }
}

/// An evaluation that cannot run as asked; one line.
public struct EvaluationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
