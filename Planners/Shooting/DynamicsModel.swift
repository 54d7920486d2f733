import EBMCore

/// A forward model of the world for action-space planners: the next state of a batch of
/// states under a batch of actions.
///
/// Conformers are the true simulator of an environment (`SimulatorDynamics`, the oracle) and
/// learned networks (`LearnedDynamics`). An instance may keep scratch state (a network's
/// activations), so concurrent rollouts each use their own `replica()`.
public protocol DynamicsModel {
    var stateDimension: Int { get }
    var actionDimension: Int { get }
    /// Next states `[B, D]` of `states` `[B, D]` under `actions` `[B, A]`.
    func next(_ states: Tensor, _ actions: Tensor) -> Tensor
    /// The state sequences `[B, T+1, D]` reached from `state` under the action sequences
    /// `actions` `[B, T, A]`, state 0 being `state`.
    func rollout(from state: [Float], actions: Tensor) -> Tensor
    /// An instance that can run on another thread at the same time as this one.
    func replica() -> Self
}

extension DynamicsModel {
    /// T batched calls of `next`, one per time step.
    public func rollout(from state: [Float], actions: Tensor) -> Tensor {
        let (b, t, a, d) = (actions.shape[0], actions.shape[1], actionDimension, stateDimension)
        precondition(actions.shape == [b, t, a] && state.count == d,
                     "rollout needs a state of \(d) values and actions [B, T, \(a)], got \(state.count) and \(actions.shape)")
        var plans = [Float](repeating: 0, count: b * (t + 1) * d)
        var current = Tensor(shape: [b, d], scalars: (0..<b).flatMap { _ in state })
        var step = [Float](repeating: 0, count: b * a)
        for n in 0..<b { for i in 0..<d { plans[n * (t + 1) * d + i] = state[i] } }
        for k in 0..<t {
            for n in 0..<b { for j in 0..<a { step[n * a + j] = actions.scalars[(n * t + k) * a + j] } }
            current = next(current, Tensor(shape: [b, a], scalars: step))
            for n in 0..<b {
                for i in 0..<d { plans[(n * (t + 1) + k + 1) * d + i] = current.scalars[n * d + i] }
            }
        }
        return Tensor(shape: [b, t + 1, d], scalars: plans)
    }
}
