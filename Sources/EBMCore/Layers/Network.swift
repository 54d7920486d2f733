/// The network configuration a checkpoint stores: enough to rebuild the network exactly.
public struct NetworkConfig: Codable, Equatable, Sendable {
    /// Shape of one input sample (e.g. `[4]` for a feature vector, `[1, 32, 32]` for an image).
    public var inputShape: [Int]
    /// Width of the conditioning label vector (0: unconditional).
    public var labelCount: Int
    /// The layers, in order.
    public var layers: [LayerSpec]

    public init(inputShape: [Int], labelCount: Int = 0, layers: [LayerSpec]) {
        self.inputShape = inputShape
        self.labelCount = labelCount
        self.layers = layers
    }
}

/// A feed-forward stack of layers with a hand-written backward pass.
///
/// Parameters are named `layers.<index>.<name>`. A network keeps activations from its last
/// forward pass, so one instance serves one thread; `copy()` gives an independent one.
public final class Network {
    public let config: NetworkConfig
    public let layers: [Layer]
    /// Per-sample output shape.
    public let outputShape: [Int]

    /// Builds and initialises the network described by `config`; the same seed gives the same
    /// weights.
    public init(_ config: NetworkConfig, seed: UInt64) {
        self.config = config
        var rng = RNG(seed: seed, stream: 0x6E6574)
        var shape = config.inputShape
        var built: [Layer] = []
        for spec in config.layers {
            let layer = spec.makeLayer(inputShape: shape, labelCount: config.labelCount, rng: &rng)
            shape = layer.outputShape(for: shape)
            built.append(layer)
        }
        layers = built
        outputShape = shape
    }

    /// Every weight and buffer with its qualified name, in a fixed order.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        layers.enumerated().flatMap { index, layer in
            layer.parameters.map { ("layers.\(index).\($0.name)", $0) }
        }
    }

    /// Every weight and buffer in a fixed order.
    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }

    /// Number of trainable scalars.
    public var trainableScalarCount: Int { parameters.filter(\.isTrainable).reduce(0) { $0 + $1.value.count } }

    /// Runs the batch `x` (`[B, inputShape…]`, or any shape with the same row width).
    public func forward(_ x: Tensor, labels: Tensor? = nil) -> Tensor {
        precondition(x.rowWidth == config.inputShape.reduce(1, *) || x.rows == 0,
                     "network expects rows of \(config.inputShape), got \(x.shape)")
        if config.labelCount > 0 {
            precondition(labels?.rows == x.rows && labels?.rowWidth == config.labelCount,
                         "conditional network needs labels [\(x.rows), \(config.labelCount)]")
        }
        var h = x.reshaped([x.rows] + config.inputShape)
        for layer in layers { h = layer.forward(h, labels: labels) }
        return h
    }

    /// Backpropagates ∂L/∂output of the last forward pass; returns ∂L/∂input (shaped like that
    /// input) when `.inputs` is requested. Parameter gradients accumulate.
    @discardableResult
    public func backward(_ outputGradient: Tensor, _ request: GradientRequest) -> Tensor {
        var g = outputGradient
        for (index, layer) in layers.enumerated().reversed() {
            let r: GradientRequest = index == 0 ? request : request.union(.inputs)
            g = layer.backward(g, r)
        }
        return g
    }

    /// Starts a training step (one spectral-norm power iteration per normalised layer).
    public func beginTrainingStep() { layers.forEach { $0.beginTrainingStep() } }

    /// Tells layers that parameter values changed (after an optimiser step or a load).
    public func parametersDidChange() { layers.forEach { $0.parametersDidChange() } }

    /// Zeroes every accumulated parameter gradient.
    public func zeroGradients() { parameters.forEach { $0.zeroGradient() } }

    /// An independent network with the same config and parameter values.
    public func copy() -> Network {
        let other = Network(config, seed: 0)
        for (mine, theirs) in zip(parameters, other.parameters) { theirs.value = mine.value }
        other.parametersDidChange()
        return other
    }
}
