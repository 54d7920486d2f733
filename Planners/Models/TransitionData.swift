import EBMCore
import EBMEnvironments
import Foundation

/// Every transition (s_t, a_t, s_t+1) of a rollout dataset, checked, in Float32: the
/// training data of the transition models.
///
/// Built from a `RolloutDataset` in memory or from its `.npz` file (`ebm-plan collect`).
/// Anything unusable — another environment, arrays of the wrong shape, NaN or infinity
/// (including float64 values beyond Float32's range) — is one `TransitionModelError`.
public struct TransitionData: Sendable {
    public let environment: EnvironmentKind
    public let episodes: Int
    /// Steps per episode.
    public let steps: Int
    public let stateDimension: Int
    public let actionDimension: Int
    /// Rows [s_t, s_t+1], episode-major: `[episodes·steps, 2·D]`.
    public let pairs: Tensor
    /// The action of each row: `[episodes·steps, A]`.
    public let actions: Tensor

    /// Number of transitions.
    public var count: Int { pairs.rows }

    /// The transitions of `dataset`.
    public init(_ dataset: RolloutDataset) throws {
        try self.init(name: "dataset", environment: dataset.environment, states: dataset.states,
                      statesShape: [dataset.episodes, dataset.steps + 1, dataset.stateDimension],
                      actions: dataset.actions, actionsShape: [dataset.episodes, dataset.steps, dataset.actionDimension])
    }

    /// Reads the `.npz` file written by `ebm-plan collect` (arrays `env`, `states`, `actions`).
    public init(contentsOf url: URL) throws {
        let name = url.lastPathComponent
        let arrays: [String: NumPyArray]
        do { arrays = try NPZ.read(from: url) } catch let error as FileFormatError { throw TransitionModelError(error.description) }
        func array(_ key: String) throws -> NumPyArray {
            guard let a = arrays[key] else { throw TransitionModelError("dataset \(name) has no '\(key)' array (write datasets with ebm-plan collect)") }
            return a
        }
        guard let bytes = try array("env").uint8, let env = String(bytes: bytes, encoding: .utf8) else {
            throw TransitionModelError("dataset \(name): 'env' must hold the environment's name as uint8 bytes")
        }
        let states = try array("states"), actions = try array("actions")
        guard states.float64 != nil || states.float32 != nil, actions.float64 != nil || actions.float32 != nil else {
            throw TransitionModelError("dataset \(name): 'states' and 'actions' must be floating point")
        }
        try self.init(name: "dataset \(name)", environment: env, states: states.doubles, statesShape: states.shape,
                      actions: actions.doubles, actionsShape: actions.shape)
    }

    private init(name: String, environment env: String, states: [Double], statesShape: [Int],
                 actions: [Double], actionsShape: [Int]) throws {
        func fail(_ problem: String) -> TransitionModelError { TransitionModelError("\(name) \(problem)") }
        guard let kind = EnvironmentKind(rawValue: env) else { throw fail("is for an unknown environment '\(env)'") }
        let standard = TransitionModelConfiguration.standard(for: kind)
        let (d, a) = (standard.stateDimension, standard.actionDimension)
        guard statesShape.count == 3, statesShape[2] == d, statesShape[1] >= 2, statesShape[0] >= 1 else {
            throw fail("has states of shape \(statesShape); \(kind.rawValue) needs (episodes, steps + 1, \(d)) with at least one step")
        }
        let (n, t) = (statesShape[0], statesShape[1] - 1)
        guard actionsShape == [n, t, a] else {
            throw fail("has actions of shape \(actionsShape); states \(statesShape) need (\(n), \(t), \(a))")
        }
        if let bad = states.firstIndex(where: { !Float($0).isFinite }) {
            throw fail("has a NaN, infinite or out-of-range state value (episode \(bad / ((t + 1) * d)), step \(bad / d % (t + 1)))")
        }
        if let bad = actions.firstIndex(where: { !Float($0).isFinite }) {
            throw fail("has a NaN, infinite or out-of-range action value (episode \(bad / (t * a)), step \(bad / a % t))")
        }
        var pairs = [Float](), acts = [Float]()
        pairs.reserveCapacity(n * t * 2 * d)
        acts.reserveCapacity(n * t * a)
        for e in 0..<n {
            for k in 0..<t {
                let s = (e * (t + 1) + k) * d
                for i in 0..<(2 * d) { pairs.append(Float(states[s + i])) }
                for j in 0..<a { acts.append(Float(actions[(e * t + k) * a + j])) }
            }
        }
        environment = kind
        episodes = n
        steps = t
        stateDimension = d
        actionDimension = a
        self.pairs = Tensor(shape: [n * t, 2 * d], scalars: pairs)
        self.actions = Tensor(shape: [n * t, a], scalars: acts)
    }

    private init(_ other: TransitionData, episodes range: Range<Int>) {
        environment = other.environment
        episodes = range.count
        steps = other.steps
        stateDimension = other.stateDimension
        actionDimension = other.actionDimension
        pairs = other.pairs.rows((range.lowerBound * steps)..<(range.upperBound * steps))
        actions = other.actions.rows((range.lowerBound * steps)..<(range.upperBound * steps))
    }

    /// The last `max(1, episodes/10)` episodes held out for evaluation, the rest for training.
    /// Whole episodes, so held-out transitions are never neighbours of training ones.
    public func split() throws -> (training: TransitionData, heldOut: TransitionData) {
        guard episodes >= 2 else {
            throw TransitionModelError("the dataset has \(episodes) episode; training needs at least 2 (one is held out for evaluation)")
        }
        let held = max(1, episodes / 10)
        return (TransitionData(self, episodes: 0..<(episodes - held)), TransitionData(self, episodes: (episodes - held)..<episodes))
    }

    /// Rows [s_t, commanded s_t+1] of the transitions the world refused: where the action
    /// commanded a next state (`EnvironmentKind.commandedNextState`) that was not observed — a
    /// move into a wall or an obstacle, or past the border. Known infeasible transitions, so
    /// training can use them as negatives; empty for environments without commanded states.
    public func refusedMoves() -> Tensor {
        let d = stateDimension
        var rows = [Float]()
        for r in 0..<count {
            let pair = pairs.row(r)
            guard let commanded = environment.refusedMove(from: Array(pair[0..<d]), to: Array(pair[d...]),
                                                          action: Array(actions.row(r))) else { continue }
            rows += pair[0..<d]
            rows += commanded
        }
        return Tensor(shape: [rows.count / (2 * d), 2 * d], scalars: rows)
    }

    /// A short identity of the data (environment, sizes, checksum of the values), stored with
    /// a model so that `--resume` refuses to continue on other data.
    public var fingerprint: String {
        var crc = CRC32()
        for part in [pairs.scalars, actions.scalars] {
            part.withUnsafeBytes { crc.update($0) }
        }
        return "\(environment.rawValue) \(episodes)x\(steps) crc32 \(String(crc.value, radix: 16))"
    }
}
