import EBMCore

/// Random-action rollouts of one environment: `episodes` episodes of `steps` control steps.
///
/// Every episode starts from the environment's `sampleStart` (particle/maze: uniform over the
/// free part of [−1, 1]², never inside a wall; reacher: its reset distribution) with a goal
/// from `sampleGoal`, and applies actions uniform in [−1, 1]^A through the true dynamics for
/// exactly `steps` steps — reaching the goal does not end a dataset episode, and states are
/// always the environment's own (clipped, blocked) states. Episode `i` draws from
/// `RNG(seed: seed, stream: i)`, so a dataset is a function of (environment, seed, episodes,
/// steps) and the first k episodes do not depend on how many follow.
public struct RolloutDataset: Sendable, Equatable {
    /// The environment's name.
    public var environment: String
    public var seed: UInt64
    public var episodes: Int
    public var steps: Int
    public var stateDimension: Int
    public var actionDimension: Int
    public var goalDimension: Int
    /// (episodes, steps + 1, stateDimension), row-major.
    public var states: [Double]
    /// (episodes, steps, actionDimension): action t moves states[t] to states[t + 1].
    public var actions: [Double]
    /// (episodes, goalDimension).
    public var goals: [Double]
    /// (episodes, steps): whether action t was blocked (states[t + 1] == states[t]).
    public var blocked: [Bool]

    /// The dataset as `.npz` arrays (`NPZ.write`):
    ///
    /// | name | shape | dtype |
    /// |---|---|---|
    /// | `states` | (N, T+1, D) | float64 |
    /// | `actions` | (N, T, A) | float64 |
    /// | `goals` | (N, G) | float64 |
    /// | `episode` | (N,) | int64, 0..<N |
    /// | `blocked` | (N, T) | bool |
    /// | `env` | (len,) | uint8, the UTF-8 name (`bytes(a).decode()` in Python) |
    /// | `seed` | () | int64, the seed's bit pattern |
    public var numpyArrays: [String: NumPyArray] {
        [
            "states": NumPyArray(shape: [episodes, steps + 1, stateDimension], float64: states),
            "actions": NumPyArray(shape: [episodes, steps, actionDimension], float64: actions),
            "goals": NumPyArray(shape: [episodes, goalDimension], float64: goals),
            "episode": NumPyArray(shape: [episodes], int64: (0..<episodes).map(Int64.init)),
            "blocked": NumPyArray(shape: [episodes, steps], bool: blocked),
            "env": NumPyArray(shape: [environment.utf8.count], uint8: Array(environment.utf8)),
            "seed": NumPyArray(shape: [], int64: [Int64(bitPattern: seed)]),
        ]
    }
}

extension Environment {
    /// `episodes` random-action rollouts of `steps` steps each (see `RolloutDataset`).
    /// Throws `EnvironmentError.invalidCount` unless both counts are at least 1.
    public func randomRollouts(episodes: Int, steps: Int, seed: UInt64) throws -> RolloutDataset {
        guard episodes >= 1 else { throw EnvironmentError.invalidCount("episodes", episodes) }
        guard steps >= 1 else { throw EnvironmentError.invalidCount("steps", steps) }
        let d = Self.stateDimension, a = Self.actionDimension
        var data = RolloutDataset(
            environment: Self.name, seed: seed, episodes: episodes, steps: steps,
            stateDimension: d, actionDimension: a, goalDimension: Self.goalDimension,
            states: [], actions: [], goals: [], blocked: [])
        data.states.reserveCapacity(episodes * (steps + 1) * d)
        data.actions.reserveCapacity(episodes * steps * a)
        data.goals.reserveCapacity(episodes * Self.goalDimension)
        data.blocked.reserveCapacity(episodes * steps)
        for episode in 0..<episodes {
            var rng = RNG(seed: seed, stream: UInt64(episode))
            var state = sampleStart(using: &rng)
            let goal = sampleGoal(using: &rng)
            data.goals.append(contentsOf: [goal.x, goal.y])
            append(state, to: &data.states)
            for _ in 0..<steps {
                var action = Action.zero
                for i in action.indices { action[i] = rng.uniformDouble(-1, 1) }
                let (next, blocked) = transition(from: state, action: action)
                append(action, to: &data.actions)
                append(next, to: &data.states)
                data.blocked.append(blocked)
                state = next
            }
        }
        return data
    }

    private func append<V: SIMD>(_ v: V, to array: inout [Double]) where V.Scalar == Double {
        for i in v.indices { array.append(v[i]) }
    }
}

extension EnvironmentKind {
    /// Random-action rollouts of this environment with its default configuration; `steps`
    /// defaults to the environment's time limit.
    public func randomRollouts(episodes: Int, steps: Int? = nil, seed: UInt64) throws -> RolloutDataset {
        let steps = steps ?? timeLimit
        switch self {
        case .particle: return try Particle().randomRollouts(episodes: episodes, steps: steps, seed: seed)
        case .maze: return try Maze().randomRollouts(episodes: episodes, steps: steps, seed: seed)
        case .reacher: return try Reacher().randomRollouts(episodes: episodes, steps: steps, seed: seed)
        }
    }
}
