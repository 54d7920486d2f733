import EBMCore

/// A learned feed-forward dynamics model (SPEC §5's FF baseline): a network on rows
/// [s_t, a_t] (D + A inputs, D outputs).
///
/// `predictsStep` states the network's output convention: the step s_t+1 − s_t (the usual
/// choice, since steps are small and the identity need not be learned) or the next state
/// itself. Any input scaling must be part of the network.
public struct LearnedDynamics: DynamicsModel {
    public let network: Network
    /// true: the network outputs s_t+1 − s_t; false: it outputs s_t+1.
    public let predictsStep: Bool
    public let stateDimension: Int
    public let actionDimension: Int

    public init(network: Network, predictsStep: Bool) {
        let inputs = network.config.inputShape.reduce(1, *)
        let outputs = network.outputShape.reduce(1, *)
        precondition(inputs > outputs, "a dynamics network maps [s, a] to s: got \(inputs) inputs and \(outputs) outputs")
        self.network = network
        self.predictsStep = predictsStep
        stateDimension = outputs
        actionDimension = inputs - outputs
    }

    public func next(_ states: Tensor, _ actions: Tensor) -> Tensor {
        let (b, d, a) = (states.rows, stateDimension, actionDimension)
        precondition(states.rowWidth == d && actions.rowWidth == a && actions.rows == b,
                     "next needs states [B, \(d)] and actions [B, \(a)], got \(states.shape) and \(actions.shape)")
        var input = [Float](repeating: 0, count: b * (d + a))
        for n in 0..<b {
            for i in 0..<d { input[n * (d + a) + i] = states.scalars[n * d + i] }
            for j in 0..<a { input[n * (d + a) + d + j] = actions.scalars[n * a + j] }
        }
        var out = network.forward(Tensor(shape: [b, d + a], scalars: input)).reshaped([b, d])
        if predictsStep { for i in out.scalars.indices { out.scalars[i] += states.scalars[i] } }
        return out
    }

    /// A copy with its own network, since a network keeps its last activations.
    public func replica() -> Self { LearnedDynamics(network: network.copy(), predictsStep: predictsStep) }
}
