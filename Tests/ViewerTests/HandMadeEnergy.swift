import EBMCore
import EBMPlanners

/// A particle transition energy written down instead of learned, so planning tests need no
/// trained model: zero while each coordinate's step stays within 0.045 (the particle moves at
/// most 0.05 per step), rising linearly beyond it.
///
/// It has the trained models' shape — transition features, then a small MLP — so it goes
/// through `Agents.controller` exactly like a loaded model.
enum HandMadeEnergy {
    static func particle() -> AgentModels {
        let features = TransitionFeatureSpec(stateDimension: 2, deltaScale: [20, 20])
        let config = NetworkConfig(inputShape: [4], layers: [
            .transitionFeatures(features), .linear(outputs: 4, spectralNorm: false), .leakyReLU(slope: 0),
            .linear(outputs: 1, spectralNorm: false),
        ])
        let network = Network(config, seed: 0)
        // Features are [x, y, 20·dx, 20·dy]; hidden units are the four hinges ±20·d − 0.9.
        var hinges = [Float](repeating: 0, count: 16)
        hinges[2 * 4 + 0] = 1
        hinges[2 * 4 + 1] = -1
        hinges[3 * 4 + 2] = 1
        hinges[3 * 4 + 3] = -1
        let values: [String: Tensor] = [
            "layers.1.weight": Tensor(shape: [4, 4], scalars: hinges),
            "layers.1.bias": Tensor(shape: [4], repeating: -0.9),
            "layers.3.weight": Tensor(shape: [4, 1], repeating: 1),
            "layers.3.bias": Tensor(shape: [1], repeating: 0),
        ]
        for (name, parameter) in network.namedParameters { parameter.value = values[name]! }
        network.parametersDidChange()
        return AgentModels(energy: network)
    }
}
