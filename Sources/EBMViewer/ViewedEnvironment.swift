import EBMCore
import EBMEnvironments

/// The environment a viewer shows, whichever kind it is.
///
/// The viewer switches environments at run time, while `Environment` has typed states; this
/// enum keeps the typed values (a controller can switch on it to reach the concrete
/// environment) and offers the few operations a viewer needs on flattened states. All three
/// environments take planar actions.
public enum ViewedEnvironment: Sendable {
    case particle(Particle)
    case maze(Maze)
    case reacher(Reacher)

    /// A new environment of `kind` in the episode `seed` starts, from `start` (a full state;
    /// `nil`: drawn) towards `goal` (or a random one), with the extra `obstacles`. Throws
    /// one-line errors for obstacles on the reacher and for goals, starts or obstacles the
    /// environment rejects.
    public init(kind: EnvironmentKind, seed: UInt64, start: [Double]? = nil, goal: SIMD2<Double>?,
                obstacles: [Obstacle]) throws {
        switch kind {
        case .particle:
            var env = Particle()
            try env.reset(seed: seed, start: start.map { try Particle.vector($0, as: .start) }, goal: goal,
                          obstacles: obstacles)
            self = .particle(env)
        case .maze:
            var env = Maze()
            try env.reset(seed: seed, start: start.map { try Maze.vector($0, as: .start) }, goal: goal, obstacles: obstacles)
            self = .maze(env)
        case .reacher:
            if !obstacles.isEmpty { throw ViewerError("reacher has no obstacles; --obstacle and --circle apply to particle and maze") }
            var env = Reacher()
            try env.reset(seed: seed, start: start.map { try Reacher.vector($0, as: .start) }, goal: goal)
            self = .reacher(env)
        }
    }

    /// Which environment this is.
    public var kind: EnvironmentKind {
        switch self {
        case .particle: return .particle
        case .maze: return .maze
        case .reacher: return .reacher
        }
    }

    /// What to draw in the current state.
    public var geometry: Geometry {
        switch self {
        case .particle(let env): return env.geometry
        case .maze(let env): return env.geometry
        case .reacher(let env): return env.geometry
        }
    }

    /// The current state, flattened.
    public var state: [Double] {
        switch self {
        case .particle(let env): return Particle.array(env.state)
        case .maze(let env): return Maze.array(env.state)
        case .reacher(let env): return Reacher.array(env.state)
        }
    }

    /// Steps taken in the current episode.
    public var steps: Int {
        switch self {
        case .particle(let env): return env.steps
        case .maze(let env): return env.steps
        case .reacher(let env): return env.steps
        }
    }

    /// Steps after which the episode ends.
    public var timeLimit: Int {
        switch self {
        case .particle(let env): return env.timeLimit
        case .maze(let env): return env.timeLimit
        case .reacher(let env): return env.timeLimit
        }
    }

    /// Applies one action; throws for non-finite actions and after the episode is over.
    public mutating func step(_ action: SIMD2<Double>) throws -> StepResult<[Double]> {
        func flattened<S>(_ r: StepResult<S>, _ array: (S) -> [Double]) -> StepResult<[Double]> {
            StepResult(state: array(r.state), reward: r.reward, terminated: r.terminated, truncated: r.truncated,
                       info: r.info)
        }
        switch self {
        case .particle(var env):
            let result = try env.step(action)
            self = .particle(env)
            return flattened(result, Particle.array)
        case .maze(var env):
            let result = try env.step(action)
            self = .maze(env)
            return flattened(result, Maze.array)
        case .reacher(var env):
            let result = try env.step(action)
            self = .reacher(env)
            return flattened(result, Reacher.array)
        }
    }

    /// A new episode from `start` towards `goal`, keeping the obstacles. Throws, leaving the
    /// environment unchanged, when the environment rejects either.
    public mutating func reset(seed: UInt64, start: [Double], goal: SIMD2<Double>) throws {
        switch self {
        case .particle(var env):
            try env.reset(seed: seed, start: Particle.vector(start, as: .start), goal: goal)
            self = .particle(env)
        case .maze(var env):
            try env.reset(seed: seed, start: Maze.vector(start, as: .start), goal: goal)
            self = .maze(env)
        case .reacher(var env):
            try env.reset(seed: seed, start: Reacher.vector(start, as: .start), goal: goal)
            self = .reacher(env)
        }
    }

    /// A goal from the environment's own goal distribution.
    public func sampleGoal(using rng: inout RNG) -> SIMD2<Double> {
        switch self {
        case .particle(let env): return env.sampleGoal(using: &rng)
        case .maze(let env): return env.sampleGoal(using: &rng)
        case .reacher(let env): return env.sampleGoal(using: &rng)
        }
    }
}
