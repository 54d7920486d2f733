import EBMCore

/// Coordinates in which training negatives are sampled, so that one Langevin step size suits
/// every state coordinate.
///
/// Langevin moves s_t+1 by ε·∂E/∂s_t+1, and the energy sees s_t+1 only through the scaled step
/// (s_t+1 − s_t)·deltaScale. In raw units a coordinate therefore moves through feature space
/// at a rate ∝ deltaScale²: the reacher's angles (×7) would move ~300 times faster than its
/// speeds (×0.4), freezing the speeds. Rescaling every non-angle coordinate by
/// p_i = deltaScale_i / unit (angles keep p = 1, since cos/sin need radians) gives coordinates
/// in which one unit is `unit` feature units for every coordinate. The energy in these
/// coordinates is the same function with a rescaled feature spec and identical weights, so
/// the trained weights are copied into the model's own network unchanged.
struct NegativeSamplingFrame {
    /// Per state coordinate: frame value = p · state value.
    let multipliers: [Float]
    /// Delta-feature units per frame unit.
    let unit: Float
    /// The energy config in frame coordinates.
    let energyConfig: NetworkConfig

    init(energyConfig config: NetworkConfig) {
        guard case let .transitionFeatures(spec)? = config.layers.first else {
            preconditionFailure("a transition energy starts with transition features")
        }
        let angleScales = spec.angles.map { spec.deltaScale[$0] }
        unit = angleScales.isEmpty ? 1 : angleScales.reduce(0, +) / Float(angleScales.count)
        var p = [Float](repeating: 1, count: spec.stateDimension)
        var framed = spec
        for i in 0..<spec.stateDimension where !spec.angles.contains(i) {
            p[i] = spec.deltaScale[i] / unit
            framed.offset[i] = spec.offset[i] * p[i]
            framed.scale[i] = spec.scale[i] / p[i]
            framed.deltaScale[i] = unit
        }
        multipliers = p
        var layers = config.layers
        layers[0] = .transitionFeatures(framed)
        energyConfig = NetworkConfig(inputShape: config.inputShape, labelCount: config.labelCount, layers: layers)
    }

    /// Rows [s_t, s_t+1] in frame coordinates.
    func framed(_ pairs: Tensor) -> Tensor {
        let d = multipliers.count
        var out = pairs
        for i in out.scalars.indices { out.scalars[i] *= multipliers[i % d] }
        return out
    }

    /// A network in frame coordinates holding `energy`'s weights: what the contrastive trainer
    /// samples and updates (its weights copy back to `energy` unchanged).
    func samplingNetwork(copying energy: Network) -> Network {
        let network = Network(energyConfig, seed: 0)
        network.assignParameters(from: energy)
        return network
    }

    /// Proper Langevin in frame coordinates, with the step and temperature given in
    /// delta-feature units as the training settings state them.
    func sampler(steps: Int, stepSize: Float, temperature: Float) -> LangevinSampler {
        LangevinSampler(steps: steps, stepSize: .constant(stepSize / (unit * unit)),
                        mode: .proper(temperature: .constant(temperature)))
    }

    /// The mask of conditional sampling: s_t stays, s_t+1 moves.
    var conditionalMask: [Bool] {
        [Bool](repeating: false, count: multipliers.count) + [Bool](repeating: true, count: multipliers.count)
    }
}
