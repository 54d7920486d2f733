import EBMCore
import EBMEnvironments

/// The true dynamics of an environment (`transition(from:action:)`) as a `DynamicsModel`: what
/// the oracle planners roll out. Obstacles and walls of the wrapped environment block moves
/// exactly as in the world; wrap an obstacle-free copy to make obstacles a matter of cost only.
public struct SimulatorDynamics<E: Environment>: DynamicsModel, Sendable {
    public let environment: E

    public init(_ environment: E) { self.environment = environment }

    public var stateDimension: Int { E.stateDimension }
    public var actionDimension: Int { E.actionDimension }

    public func next(_ states: Tensor, _ actions: Tensor) -> Tensor {
        let (d, a) = (stateDimension, actionDimension)
        precondition(states.rowWidth == d && actions.rowWidth == a && states.rows == actions.rows,
                     "next needs states [B, \(d)] and actions [B, \(a)], got \(states.shape) and \(actions.shape)")
        var out = states
        for n in 0..<states.rows {
            var s = E.State()
            var u = E.Action()
            for i in 0..<d { s[i] = Double(states.scalars[n * d + i]) }
            for j in 0..<a { u[j] = Double(actions.scalars[n * a + j]) }
            let next = environment.transition(from: s, action: u).next
            for i in 0..<d { out.scalars[n * d + i] = Float(next[i]) }
        }
        return out
    }

    /// Steps each sequence in Double precision throughout; only the reported states are
    /// rounded to Float, so a rollout matches what the world does under the same actions.
    public func rollout(from state: [Float], actions: Tensor) -> Tensor {
        let (b, t, a, d) = (actions.shape[0], actions.shape[1], actionDimension, stateDimension)
        precondition(actions.shape == [b, t, a] && state.count == d,
                     "rollout needs a state of \(d) values and actions [B, T, \(a)], got \(state.count) and \(actions.shape)")
        var plans = [Float](repeating: 0, count: b * (t + 1) * d)
        var start = E.State()
        for i in 0..<d { start[i] = Double(state[i]) }
        actions.scalars.withUnsafeBufferPointer { u in
            plans.withUnsafeMutableBufferPointer { out in
                for n in 0..<b {
                    var s = start
                    let base = n * (t + 1) * d
                    for i in 0..<d { out[base + i] = state[i] }
                    for k in 0..<t {
                        var action = E.Action()
                        for j in 0..<a { action[j] = Double(u[(n * t + k) * a + j]) }
                        s = environment.transition(from: s, action: action).next
                        for i in 0..<d { out[base + (k + 1) * d + i] = Float(s[i]) }
                    }
                }
            }
        }
        return Tensor(shape: [b, t + 1, d], scalars: plans)
    }

    /// The simulator is a pure function of its arguments: the same instance serves every thread.
    public func replica() -> Self { self }
}
