/// Fully connected layer y = x·W + b, with W of shape `[inputs, outputs]`.
///
/// Any per-sample input shape is flattened. With spectral normalisation W is replaced by W/σ(W)
/// (see `SpectralNormalization`) and initialised N(0, 1) as in IGEBM; otherwise
/// Glorot-uniform. Biases start at zero.
public final class Linear: Layer {
    public let inputs: Int
    public let outputs: Int
    public let weight: Parameter
    public let bias: Parameter
    private let spectral: SpectralNormalization?
    private var input = Tensor(zeros: [0])
    private var scratch: [Float] = []
    private let transposed = ScratchBuffer()
    /// The (weight version, spectral generation) `transposed` was built from.
    private var transposedKey: (UInt64, UInt64)?

    public init(inputs: Int, outputs: Int, spectralNorm: Bool = false, rng: inout RNG) {
        self.inputs = inputs
        self.outputs = outputs
        let w: [Float]
        if spectralNorm {
            w = (0..<(inputs * outputs)).map { _ in rng.gaussian() }
        } else {
            let limit = (6 / Float(inputs + outputs)).squareRoot()
            w = (0..<(inputs * outputs)).map { _ in rng.uniform(-limit, limit) }
        }
        weight = Parameter(name: "weight", value: Tensor(shape: [inputs, outputs], scalars: w))
        let bound = 1 / Float(inputs).squareRoot()
        bias = Parameter(name: "bias", value: Tensor(shape: [outputs], scalars: (0..<outputs).map { _ in rng.uniform(-bound, bound) }))
        spectral = spectralNorm ? SpectralNormalization(fanIn: inputs, fanOut: outputs, rng: &rng) : nil
        spectral?.refresh(weight: w)
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { [outputs] }

    public var parameters: [Parameter] { [weight, bias] + (spectral.map { [$0.u] } ?? []) }

    public func beginTrainingStep() {
        guard let spectral else { return }
        spectral.iterate(weight: weight.value.scalars)
        spectral.refresh(weight: weight.value.scalars)
    }

    public func parametersDidChange() { spectral?.refresh(weight: weight.value.scalars) }

    /// The weight the forward pass uses (W̄ under spectral normalisation).
    public var effectiveWeight: [Float] { spectral?.normalizedWeight ?? weight.value.scalars }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        let batch = x.rows
        precondition(x.rowWidth == inputs, "Linear expects \(inputs) inputs per row, got \(x.rowWidth)")
        input = x
        return Tensor(shape: [batch, outputs]) { out in
            x.scalars.withUnsafeBufferPointer { forward(rows: batch, $0.baseAddress!, into: out, leakySlope: nil) }
        }
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        let batch = input.rows
        precondition(g.count == batch * outputs)
        g.scalars.withUnsafeBufferPointer { gp in
            if request.contains(.parameters), batch > 0 {
                input.scalars.withUnsafeBufferPointer { xp in
                    accumulateGradients(rows: batch, input: xp.baseAddress!, outputGradient: gp.baseAddress!)
                }
            }
        }
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        return Tensor(shape: input.shape) { dx in
            g.scalars.withUnsafeBufferPointer { inputGradient(rows: batch, $0.baseAddress!, into: dx, gate: nil, slope: 1) }
        }
    }

    // MARK: Buffer-level passes (shared by the Tensor API above and `Network`'s fused stages)

    /// out = x·W + b for `rows` rows of x (row stride `inputs`), with a leaky activation of
    /// slope `leakySlope` applied in the same pass when given.
    func forward(rows: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, leakySlope: Float?) {
        guard rows > 0 else { return }
        bias.value.scalars.withUnsafeBufferPointer { b in
            withEffectiveWeight { w in
                BLAS.fusedGemm(m: rows, n: outputs, k: inputs, x, rowStride: inputs, columnStride: 1, w, ldb: outputs,
                               out, ldc: outputs, bias: b.baseAddress!, leakySlope: leakySlope)
            }
        }
    }

    /// Adds ∂L/∂W = xᵀ·g and ∂L/∂b = Σ_rows g to the parameter gradients, for the output
    /// gradient g of the forward pass over `x`.
    func accumulateGradients(rows: Int, input x: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>) {
        guard rows > 0 else { return }
        let n = outputs
        bias.gradient.scalars.withUnsafeMutableBufferPointer { bg in
            for r in 0..<rows {
                let row = g + r * n
                for j in 0..<n { bg[j] += row[j] }
            }
        }
        // xᵀ is x read with swapped strides: no transpose copy.
        if let spectral {
            if scratch.count != inputs * outputs { scratch = [Float](repeating: 0, count: inputs * outputs) }
            scratch.withUnsafeMutableBufferPointer { sp in
                BLAS.fusedGemm(m: inputs, n: n, k: rows, x, rowStride: 1, columnStride: inputs, g, ldb: n, sp.baseAddress!, ldc: n)
            }
            spectral.accumulateWeightGradient(scratch, into: &weight.gradient.scalars)
        } else {
            weight.gradient.scalars.withUnsafeMutableBufferPointer { wg in
                BLAS.fusedGemm(m: inputs, n: n, k: rows, x, rowStride: 1, columnStride: inputs, g, ldb: n,
                               wg.baseAddress!, ldc: n, accumulate: true)
            }
        }
    }

    /// dx = g·Wᵀ for `rows` output-gradient rows; where `gate` (the output of a preceding leaky
    /// activation of slope `slope`, same shape as dx) is negative, dx is scaled by `slope`, so
    /// the activation's backward pass costs nothing extra.
    func inputGradient(rows: Int, _ g: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>,
                       gate: UnsafePointer<Float>?, slope: Float) {
        guard rows > 0 else { return }
        let slope = gate == nil ? nil : slope
        if inputs <= 8 {
            // A narrow input (a transition's few features): dot products with W's rows.
            withEffectiveWeight { w in
                BLAS.fusedGemmTransposedB(m: rows, n: inputs, k: outputs, g, lda: outputs, w, ldb: outputs, dx, ldc: inputs,
                                          leakySlope: slope, gate: gate, gateStride: inputs)
            }
        } else {
            BLAS.fusedGemm(m: rows, n: inputs, k: outputs, g, rowStride: outputs, columnStride: 1, transposedWeight(), ldb: inputs,
                           dx, ldc: inputs, leakySlope: slope, gate: gate, gateStride: inputs)
        }
    }

    private func withEffectiveWeight<R>(_ body: (UnsafePointer<Float>) -> R) -> R {
        if let spectral {
            return spectral.normalizedWeight.withUnsafeBufferPointer { body($0.baseAddress!) }
        }
        return weight.value.scalars.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Wᵀ (`[outputs, inputs]`) of the effective weight. Input gradients read it row by row as
    /// the B operand of the GEMM kernel; it is rebuilt only after the weight changed, so a
    /// Langevin loop transposes once.
    private func transposedWeight() -> UnsafePointer<Float> {
        let key = (weight.version, spectral?.generation ?? 0)
        if transposedKey == nil || transposedKey! != key {
            let t = transposed.reserve(inputs * outputs)
            let (n, k) = (inputs, outputs)
            withEffectiveWeight { w in
                // 16×16 tiles keep both the rows read and the rows written in cache.
                for i0 in stride(from: 0, to: n, by: 16) {
                    for j0 in stride(from: 0, to: k, by: 16) {
                        for i in i0..<min(i0 + 16, n) {
                            for j in j0..<min(j0 + 16, k) { t[j * n + i] = w[i * k + j] }
                        }
                    }
                }
            }
            transposedKey = key
        }
        return UnsafePointer(transposed.pointer)
    }
}
