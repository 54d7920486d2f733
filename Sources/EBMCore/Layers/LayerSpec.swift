/// A serialisable description of one layer. A network is rebuilt from its specs, input shape
/// and label count, which is what checkpoints store as the model config.
public enum LayerSpec: Codable, Equatable, Sendable {
    /// Fully connected layer to `outputs` units (inputs flattened).
    case linear(outputs: Int, spectralNorm: Bool)
    /// LeakyReLU with the given negative slope.
    case leakyReLU(slope: Float)
    /// x·sigmoid(x).
    case swish
    /// Convolution of `[C, H, W]` samples with TensorFlow "SAME" padding and a bias (`Conv2D`).
    case conv2d(outputChannels: Int, kernel: Int, stride: Int, spectralNorm: Bool)
    /// 2×2 average pooling, stride 2 (even height and width).
    case avgPool2x2
    /// Sum over spatial positions, `[C, H, W]` → `[C]`.
    case globalSumPool
    /// Label-linear per-channel gain and bias (`ConditionalGainBias`); needs labels.
    case conditionalGainBias
    /// Features of a state transition [s_t, s_t+1] (`TransitionFeatures`).
    case transitionFeatures(TransitionFeatureSpec)

    /// Builds the layer for a per-sample input shape.
    func makeLayer(inputShape: [Int], labelCount: Int, rng: inout RNG) -> Layer {
        switch self {
        case let .linear(outputs, spectralNorm):
            return Linear(inputs: inputShape.reduce(1, *), outputs: outputs, spectralNorm: spectralNorm, rng: &rng)
        case let .leakyReLU(slope):
            return LeakyReLU(slope: slope)
        case .swish:
            return Swish()
        case let .conv2d(outputChannels, kernel, stride, spectralNorm):
            precondition(inputShape.count == 3, "conv2d needs samples [C, H, W], got \(inputShape)")
            return Conv2D(inputChannels: inputShape[0], outputChannels: outputChannels, kernel: kernel,
                          stride: stride, spectralNorm: spectralNorm, rng: &rng)
        case .avgPool2x2:
            return AvgPool2x2()
        case .globalSumPool:
            return GlobalSumPool()
        case .conditionalGainBias:
            precondition(labelCount > 0, "conditionalGainBias needs a network with labelCount > 0")
            return ConditionalGainBias(channels: inputShape[0], labelCount: labelCount)
        case let .transitionFeatures(spec):
            return TransitionFeatures(spec)
        }
    }

    /// The per-sample output shape for `inputShape`, or a thrown one-line reason why the layer
    /// cannot take that input (used to vet configs read from files before building them).
    func validatedOutputShape(for inputShape: [Int], labelCount: Int) throws -> [Int] {
        struct Invalid: Error, CustomStringConvertible { var description: String }
        let width = inputShape.reduce(1, *)
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw Invalid(description: "layer \(self) gets the empty input shape \(inputShape)")
        }
        switch self {
        case let .linear(outputs, _):
            guard outputs > 0 else { throw Invalid(description: "linear layer with \(outputs) outputs") }
            return [outputs]
        case let .leakyReLU(slope):
            guard slope.isFinite else { throw Invalid(description: "leakyReLU slope \(slope)") }
            return inputShape
        case .swish:
            return inputShape
        case let .conv2d(outputChannels, kernel, stride, _):
            guard inputShape.count == 3 else { throw Invalid(description: "conv2d needs [C, H, W] samples, got \(inputShape)") }
            guard outputChannels > 0, kernel > 0, stride == 1 || stride == 2 else {
                throw Invalid(description: "conv2d with \(outputChannels) channels, kernel \(kernel), stride \(stride)")
            }
            return [outputChannels, (inputShape[1] + stride - 1) / stride, (inputShape[2] + stride - 1) / stride]
        case .avgPool2x2:
            guard inputShape.count == 3, inputShape[1] % 2 == 0, inputShape[2] % 2 == 0 else {
                throw Invalid(description: "avgPool2x2 needs [C, H, W] with even H and W, got \(inputShape)")
            }
            return [inputShape[0], inputShape[1] / 2, inputShape[2] / 2]
        case .globalSumPool:
            guard inputShape.count == 3 else { throw Invalid(description: "globalSumPool needs [C, H, W], got \(inputShape)") }
            return [inputShape[0]]
        case .conditionalGainBias:
            guard labelCount > 0 else { throw Invalid(description: "conditionalGainBias in a network without labels") }
            return inputShape
        case let .transitionFeatures(spec):
            if let problem = spec.problem { throw Invalid(description: "transition features: \(problem)") }
            guard width == 2 * spec.stateDimension else {
                throw Invalid(description: "transition features for \(spec.stateDimension)-D states get rows of \(width)")
            }
            return [spec.featureCount]
        }
    }
}

/// Activation choice for the network builders.
public enum Activation: String, Codable, Sendable, CaseIterable {
    case leakyReLU, swish

    var spec: LayerSpec {
        switch self {
        case .leakyReLU: return .leakyReLU(slope: 0.2)
        case .swish: return .swish
        }
    }
}

extension Array where Element == LayerSpec {
    /// An MLP energy: `hidden.count` hidden layers with the activation after each, then a
    /// linear scalar head (never spectrally normalised, as in both seed systems).
    public static func mlpEnergy(hidden: [Int], activation: Activation = .leakyReLU, spectralNorm: Bool = false) -> [LayerSpec] {
        var specs: [LayerSpec] = []
        for width in hidden {
            specs.append(.linear(outputs: width, spectralNorm: spectralNorm))
            specs.append(activation.spec)
        }
        specs.append(.linear(outputs: 1, spectralNorm: false))
        return specs
    }

    /// A plain MLP regressor (inverse or forward dynamics): hidden layers, then a linear map
    /// to `outputs`.
    public static func mlp(hidden: [Int], outputs: Int, activation: Activation = .leakyReLU) -> [LayerSpec] {
        var specs: [LayerSpec] = []
        for width in hidden {
            specs.append(.linear(outputs: width, spectralNorm: false))
            specs.append(activation.spec)
        }
        specs.append(.linear(outputs: outputs, spectralNorm: false))
        return specs
    }

    /// An IGEBM-style convolutional energy on `[C, H, W]` images: per stage a SAME convolution
    /// (`channels[i]` outputs, stride `strides[i]`), then the label gain/bias when
    /// `conditional`, then the activation; finally a global sum-pool and a linear scalar head
    /// (never spectrally normalised, as IGEBM's `fc5`).
    public static func convEnergy(channels: [Int], strides: [Int], kernel: Int = 3, activation: Activation = .swish,
                                  spectralNorm: Bool = true, conditional: Bool = false) -> [LayerSpec] {
        precondition(channels.count == strides.count,
                     "convEnergy needs one stride per stage, got \(channels.count) channels and \(strides.count) strides")
        var specs: [LayerSpec] = []
        for (width, stride) in zip(channels, strides) {
            specs.append(.conv2d(outputChannels: width, kernel: kernel, stride: stride, spectralNorm: spectralNorm))
            if conditional { specs.append(.conditionalGainBias) }
            specs.append(activation.spec)
        }
        specs.append(.globalSumPool)
        specs.append(.linear(outputs: 1, spectralNorm: false))
        return specs
    }
}
