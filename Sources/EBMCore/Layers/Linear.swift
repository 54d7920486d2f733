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
        var out = Tensor(zeros: [batch, outputs])
        guard batch > 0 else { return out }
        let b = bias.value.scalars
        out.scalars.withUnsafeMutableBufferPointer { o in
            for r in 0..<batch { for j in 0..<outputs { o[r * outputs + j] = b[j] } }
            x.scalars.withUnsafeBufferPointer { xp in
                effectiveWeight.withUnsafeBufferPointer { wp in
                    BLAS.gemm(m: batch, n: outputs, k: inputs, xp.baseAddress!, wp.baseAddress!, beta: 1, o.baseAddress!)
                }
            }
        }
        return out
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        let batch = input.rows
        precondition(g.count == batch * outputs)
        if request.contains(.parameters), batch > 0 {
            g.scalars.withUnsafeBufferPointer { gp in
                for r in 0..<batch {
                    for j in 0..<outputs { bias.gradient.scalars[j] += gp[r * outputs + j] }
                }
                input.scalars.withUnsafeBufferPointer { xp in
                    if let spectral {
                        if scratch.count != inputs * outputs { scratch = [Float](repeating: 0, count: inputs * outputs) }
                        scratch.withUnsafeMutableBufferPointer { sp in
                            BLAS.gemm(transposeA: true, m: inputs, n: outputs, k: batch,
                                      xp.baseAddress!, gp.baseAddress!, beta: 0, sp.baseAddress!)
                        }
                        spectral.accumulateWeightGradient(scratch, into: &weight.gradient.scalars)
                    } else {
                        weight.gradient.scalars.withUnsafeMutableBufferPointer { wg in
                            BLAS.gemm(transposeA: true, m: inputs, n: outputs, k: batch,
                                      xp.baseAddress!, gp.baseAddress!, beta: 1, wg.baseAddress!)
                        }
                    }
                }
            }
        }
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        var dx = Tensor(zeros: input.shape)
        guard batch > 0 else { return dx }
        g.scalars.withUnsafeBufferPointer { gp in
            effectiveWeight.withUnsafeBufferPointer { wp in
                dx.scalars.withUnsafeMutableBufferPointer { dp in
                    BLAS.gemm(transposeB: true, m: batch, n: inputs, k: outputs,
                              gp.baseAddress!, wp.baseAddress!, dp.baseAddress!)
                }
            }
        }
        return dx
    }
}
