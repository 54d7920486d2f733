import EBMCore

/// The action that moves the world from one state to the next: how a state-space plan
/// becomes motor commands.
public protocol InverseDynamics {
    func action(from state: [Float], to next: [Float]) -> [Float]
}

/// A learned inverse dynamics model: an MLP on [s_t, s_t+1] (through the same transition
/// features as the energy) regressing the executed action, clipped to the action range.
public struct LearnedInverseDynamics: InverseDynamics {
    public let network: Network
    public init(network: Network) { self.network = network }

    public func action(from state: [Float], to next: [Float]) -> [Float] {
        network.forward(Tensor(shape: [1, state.count + next.count], scalars: state + next)).scalars.map { min(max($0, -1), 1) }
    }
}
