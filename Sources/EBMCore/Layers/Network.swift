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

    /// Checks that every layer accepts what the previous one produces; throws one line naming
    /// the first problem. Configs read from files pass through here before a network is built.
    public func validate() throws {
        struct Invalid: Error, CustomStringConvertible { var description: String }
        guard labelCount >= 0 else { throw Invalid(description: "label count \(labelCount) is negative") }
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw Invalid(description: "input shape \(inputShape) has no elements")
        }
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            do {
                shape = try layer.validatedOutputShape(for: shape, labelCount: labelCount)
            } catch {
                throw Invalid(description: "layer \(index): \(error)")
            }
        }
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
        stages = Self.stages(of: built)
        run = RunState(stageCount: stages.count)
    }

    /// How forward and backward execute the layers: each `Linear`, together with a following
    /// `LeakyReLU` of positive slope, is one dense stage computed by a single fused GEMM on
    /// network-owned buffers (the activation is applied in the GEMM's epilogue, and its
    /// backward pass gates the next input-gradient GEMM); every other layer runs through its
    /// own `Layer` methods. A positive slope keeps the sign of the input, so the activation's
    /// output alone decides its gradient and the pre-activation need not be stored.
    private enum Stage {
        case layer(Layer)
        case dense(Linear, slope: Float?)

        var isDense: Bool { if case .dense = self { return true } else { return false } }
    }

    private static func stages(of layers: [Layer]) -> [Stage] {
        var stages: [Stage] = []
        var i = 0
        while i < layers.count {
            if let linear = layers[i] as? Linear {
                if i + 1 < layers.count, let leaky = layers[i + 1] as? LeakyReLU, leaky.slope > 0 {
                    stages.append(.dense(linear, slope: leaky.slope))
                    i += 2
                } else {
                    stages.append(.dense(linear, slope: nil))
                    i += 1
                }
            } else {
                stages.append(.layer(layers[i]))
                i += 1
            }
        }
        return stages
    }

    /// What the last forward pass left for backward, and the reused buffers.
    private final class RunState {
        var rows = 0
        /// The input tensor of dense stages that do not read the previous stage's scratch.
        var inputs: [Tensor?]
        /// Activations of dense stages followed by another dense stage.
        var outputs: [ScratchBuffer]
        /// Activations of the other dense stages (handed on as tensors).
        var outputTensors: [Tensor?]
        /// Two buffers the gradient alternates between on its way down a run of dense stages.
        let gradients = [ScratchBuffer(), ScratchBuffer()]
        /// The last `unitOutputGradient`, handed out again while the row count stays.
        var ones = Tensor(zeros: [0, 1])

        init(stageCount: Int) {
            inputs = Array(repeating: nil, count: stageCount)
            outputs = (0..<stageCount).map { _ in ScratchBuffer() }
            outputTensors = Array(repeating: nil, count: stageCount)
        }
    }

    private let stages: [Stage]
    private let run: RunState

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
        let rows = x.rows
        run.rows = rows
        // Callers mostly pass rows already shaped like the input: keeping `x` then saves
        // building a new shape array on every call of a Langevin loop.
        let shaped = x.shape.count == config.inputShape.count + 1 && x.shape.dropFirst().elementsEqual(config.inputShape)
        var h = shaped ? x : x.reshaped([rows] + config.inputShape)
        for (s, stage) in stages.enumerated() {
            switch stage {
            case let .layer(layer):
                h = layer.forward(h, labels: labels)
            case let .dense(linear, slope):
                // Between two dense stages the activation stays in this stage's scratch buffer;
                // otherwise it is a tensor (the next layer or the caller keeps it).
                let intoScratch = s + 1 < stages.count && stages[s + 1].isDense
                let fromScratch = s > 0 && stages[s - 1].isDense
                if !fromScratch { run.inputs[s] = h }
                func forward(_ x: UnsafePointer<Float>) {
                    if intoScratch {
                        linear.forward(rows: rows, x, into: run.outputs[s].reserve(rows * linear.outputs), leakySlope: slope)
                    } else {
                        h = Tensor(shape: [rows, linear.outputs]) { linear.forward(rows: rows, x, into: $0, leakySlope: slope) }
                        run.outputTensors[s] = h
                    }
                }
                if fromScratch {
                    forward(run.outputs[s - 1].pointer)
                } else {
                    run.inputs[s]!.scalars.withUnsafeBufferPointer { forward($0.baseAddress!) }
                }
            }
        }
        return h
    }

    /// Backpropagates ∂L/∂output of the last forward pass; returns ∂L/∂input (shaped like that
    /// input) when `.inputs` is requested. Parameter gradients accumulate.
    @discardableResult
    public func backward(_ outputGradient: Tensor, _ request: GradientRequest) -> Tensor {
        let rows = run.rows
        var g = outputGradient
        // Whether the gradient for stage s is in `run.gradients[current]` (already through s's
        // activation) rather than in `g`.
        var inScratch = false
        var current = 0
        for s in stages.indices.reversed() {
            let r: GradientRequest = s == 0 ? request : request.union(.inputs)
            switch stages[s] {
            case let .layer(layer):
                g = layer.backward(g, r)
            case let .dense(linear, slope):
                if !inScratch, let slope {
                    // A gradient from the caller or a generic layer still has to pass the activation.
                    let gz = run.gradients[current].reserve(g.count)
                    g.scalars.withUnsafeBufferPointer { gs in
                        run.outputTensors[s]!.scalars.withUnsafeBufferPointer { out in
                            for i in gs.indices { gz[i] = out[i] < 0 ? gs[i] * slope : gs[i] }
                        }
                    }
                    inScratch = true
                }
                let fromScratch = s > 0 && stages[s - 1].isDense
                func step(_ gz: UnsafePointer<Float>, _ x: UnsafePointer<Float>) {
                    if r.contains(.parameters) { linear.accumulateGradients(rows: rows, input: x, outputGradient: gz) }
                    guard r.contains(.inputs) else { return }
                    if fromScratch, case let .dense(previous, previousSlope) = stages[s - 1] {
                        let next = 1 - current
                        let gate = previousSlope.map { _ in UnsafePointer(run.outputs[s - 1].pointer) }
                        linear.inputGradient(rows: rows, gz, into: run.gradients[next].reserve(rows * previous.outputs),
                                             gate: gate, slope: previousSlope ?? 1)
                        current = next
                        inScratch = true
                    } else {
                        g = Tensor(shape: run.inputs[s]!.shape) { linear.inputGradient(rows: rows, gz, into: $0, gate: nil, slope: 1) }
                        inScratch = false
                    }
                }
                func withInput(_ gz: UnsafePointer<Float>) {
                    if fromScratch {
                        step(gz, run.outputs[s - 1].pointer)
                    } else {
                        run.inputs[s]!.scalars.withUnsafeBufferPointer { step(gz, $0.baseAddress!) }
                    }
                }
                if inScratch {
                    withInput(run.gradients[current].pointer)
                } else {
                    g.scalars.withUnsafeBufferPointer { withInput($0.baseAddress!) }
                }
                if !r.contains(.inputs) { return Tensor(zeros: [0]) }
            }
        }
        return g
    }

    /// ∂E/∂E = 1 for `rows` scalar outputs (`[rows, 1]`), the output gradient of an energy's
    /// input gradient. Kept between calls: a Langevin loop asks for the same one every
    /// iteration, and `backward` only reads it.
    func unitOutputGradient(rows: Int) -> Tensor {
        if run.ones.rows != rows { run.ones = Tensor(shape: [rows, 1], repeating: 1) }
        return run.ones
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
        other.assignParameters(from: self)
        return other
    }

    /// Takes `other`'s parameter values, one by one in order — keeping this network's own
    /// activations, so read-only copies used on other threads stay current after training.
    /// The layers must have the same parameter shapes (their feature scaling may differ).
    public func assignParameters(from other: Network) {
        precondition(parameters.map(\.value.shape) == other.parameters.map(\.value.shape),
                     "assignParameters needs networks with the same parameter shapes")
        for (mine, theirs) in zip(parameters, other.parameters) { mine.value = theirs.value }
        parametersDidChange()
    }
}
