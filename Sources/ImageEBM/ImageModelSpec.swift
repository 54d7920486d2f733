import EBMCore

/// Everything that defines an image energy besides its weights: the data it models, the factor
/// it is conditioned on and the conv net's shape. Checkpoints store it, so every task rebuilds
/// the same data, labels and ground truth the model was trained on.
public struct ImageModelSpec: Codable, Equatable, Sendable {
    public var data: ShapeDataset
    public var condition: ImageCondition
    /// Output channels of each conv stage.
    public var channels: [Int]
    /// Downsample after each stage (by avg-pool or stride, per `downsampling`).
    public var downsample: [Bool]
    public var downsampling: Downsampling
    public var activation: Activation
    public var spectralNorm: Bool
    /// Width of the dense hidden layer between the conv features and the energy, 0 for
    /// IGEBM's ResNet head (global sum-pool, then linear). A sum-pooled conv net is nearly
    /// translation invariant, so a model conditioned on position needs the dense head
    /// (IGEBM's DspritesNet flattens its features into a 128-unit layer for the same reason).
    public var denseWidth: Int

    /// How a stage halves the resolution.
    public enum Downsampling: String, Codable, Sendable, CaseIterable {
        /// A 3×3 stride-2 convolution (4× cheaper).
        case stride
        /// A stride-1 convolution at full resolution, then 2×2 average pooling (IGEBM's ResNets).
        case avgPool
    }

    public init(data: ShapeDataset, condition: ImageCondition, channels: [Int] = [32, 64, 64],
                downsample: [Bool] = [false, true, true], downsampling: Downsampling = .avgPool,
                activation: Activation = .swish, spectralNorm: Bool = true, denseWidth: Int = 128) {
        self.data = data
        self.condition = condition
        self.channels = channels
        self.downsample = downsample
        self.downsampling = downsampling
        self.activation = activation
        self.spectralNorm = spectralNorm
        self.denseWidth = denseWidth
    }

    /// A one-line reason why this spec cannot be built, or nil.
    public var problem: String? {
        if let p = data.problem { return p }
        guard !channels.isEmpty, channels.allSatisfy({ $0 > 0 && $0 <= 1024 }) else {
            return "channels must be 1 to 1024 each, got \(channels)"
        }
        guard denseWidth >= 0 && denseWidth <= 4096 else { return "dense width must be in 0...4096, got \(denseWidth)" }
        guard downsample.count == channels.count else {
            return "need one downsampling flag per stage: \(channels.count) stages, \(downsample.count) flags"
        }
        var side = data.size
        for flag in downsample where flag {
            guard side % 2 == 0 else { return "image size \(data.size) cannot be halved \(downsample.filter { $0 }.count) times" }
            side /= 2
        }
        return nil
    }

    /// The network: per stage a 3×3 SAME convolution, the label gain/bias when conditional, the
    /// activation and the downsampling; then either a global sum-pool or a spectrally
    /// normalised dense layer with its own label gain/bias and activation; then a linear scalar
    /// head (never normalised, as IGEBM's `fc5`).
    public var networkConfig: NetworkConfig {
        var layers: [LayerSpec] = []
        for (width, halve) in zip(channels, downsample) {
            let stride = halve && downsampling == .stride ? 2 : 1
            // The core's conv builder gives conv → gain/bias → activation → pool → head; take its
            // stage and add the pool where this stage downsamples by averaging.
            var stage = [LayerSpec].convEnergy(channels: [width], strides: [stride], kernel: 3, activation: activation,
                                               spectralNorm: spectralNorm, conditional: condition != .none)
            stage.removeLast(2)
            layers += stage
            if halve && downsampling == .avgPool { layers.append(.avgPool2x2) }
        }
        if denseWidth > 0 {
            // The core's MLP head is linear → activation → linear; the label enters between
            // the dense layer and its activation, as in the conv stages.
            var head = [LayerSpec].mlpEnergy(hidden: [denseWidth], activation: activation, spectralNorm: spectralNorm)
            if condition != .none { head.insert(.conditionalGainBias, at: 1) }
            layers += head
        } else {
            layers += [.globalSumPool, .linear(outputs: 1, spectralNorm: false)]
        }
        return NetworkConfig(inputShape: [1, data.size, data.size], labelCount: condition.labelWidth, layers: layers)
    }
}
