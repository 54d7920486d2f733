/// IGEBM's conditional gains and biases: a per-channel affine map that is linear in the label
/// vector y ∈ R^L, out = x ⊙ (y·G + g₀) + y·B, broadcast over each channel's spatial positions.
///
/// Accepts `[B, C, H, W]` activations and `[B, C]` features. G and B (`[L, C]`) start at zero
/// and g₀ (`[C]`) at one, so a fresh layer is the identity. One-hot labels select per-class
/// gains and biases; continuous labels (positions, angles) enter through the same matrices.
/// Gradients with respect to the labels are not computed: labels are data, never sampled.
public final class ConditionalGainBias: Layer {
    public let channels: Int
    public let labelCount: Int
    /// G, `[L, C]`: how each label component scales each channel.
    public let gain: Parameter
    /// g₀, `[C]`: the label-independent gain.
    public let gainOffset: Parameter
    /// B, `[L, C]`: how each label component shifts each channel.
    public let bias: Parameter
    private var input = Tensor(zeros: [0])
    private var labels = Tensor(zeros: [0])
    /// y·G + g₀ of the last forward, `[B, C]`.
    private var sampleGain: [Float] = []

    public init(channels: Int, labelCount: Int) {
        precondition(channels > 0, "ConditionalGainBias needs at least one channel")
        precondition(labelCount > 0, "ConditionalGainBias needs labels (labelCount > 0)")
        self.channels = channels
        self.labelCount = labelCount
        gain = Parameter(name: "gain", value: Tensor(zeros: [labelCount, channels]))
        gainOffset = Parameter(name: "gainOffset", value: Tensor(shape: [channels], repeating: 1))
        bias = Parameter(name: "bias", value: Tensor(zeros: [labelCount, channels]))
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        precondition(inputShape.first == channels,
                     "ConditionalGainBias expects samples [\(channels), …], got \(inputShape)")
        return inputShape
    }

    public var parameters: [Parameter] { [gain, gainOffset, bias] }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        // fatalError, not preconditionFailure: release builds use -Ounchecked, where a failed
        // precondition is undefined behaviour rather than a stop, and a forgotten label is an easy mistake.
        guard let labels else {
            fatalError("ConditionalGainBias needs labels [B, \(labelCount)], got nil")
        }
        precondition(x.shape.count >= 2 && x.shape[1] == channels,
                     "ConditionalGainBias expects [B, \(channels), …], got \(x.shape)")
        let batch = x.shape[0]
        precondition(labels.count == batch * labelCount,
                     "ConditionalGainBias expects labels [\(batch), \(labelCount)], got \(labels.shape)")
        input = x
        self.labels = labels
        let (c, l) = (channels, labelCount)
        let area = x.shape.dropFirst(2).reduce(1, *)
        sampleGain = [Float](repeating: 0, count: batch * c)
        var shift = [Float](repeating: 0, count: batch * c)
        let (gm, g0, bm, y) = (gain.value.scalars, gainOffset.value.scalars, bias.value.scalars, labels.scalars)
        for b in 0..<batch {
            for j in 0..<c { sampleGain[b * c + j] = g0[j] }
            for i in 0..<l {
                let yi = y[b * l + i]
                for j in 0..<c {
                    sampleGain[b * c + j] += yi * gm[i * c + j]
                    shift[b * c + j] += yi * bm[i * c + j]
                }
            }
        }
        var out = x
        sampleGain.withUnsafeBufferPointer { sg in
            out.scalars.withUnsafeMutableBufferPointer { o in
                for p in 0..<(batch * c) {
                    let (scale, offset) = (sg[p], shift[p])
                    for i in (p * area)..<((p + 1) * area) { o[i] = o[i] * scale + offset }
                }
            }
        }
        return out
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        let batch = input.shape[0]
        let (c, l) = (channels, labelCount)
        let area = input.shape.dropFirst(2).reduce(1, *)
        precondition(g.count == input.count, "ConditionalGainBias gradient has \(g.count) scalars, expected \(input.count)")
        if request.contains(.parameters) {
            // Per sample and channel: ∂L/∂gain = Σ g·x and ∂L/∂shift = Σ g over positions;
            // both are linear in y, so the label row spreads them onto G, g₀ and B.
            let y = labels.scalars
            g.scalars.withUnsafeBufferPointer { gp in
                input.scalars.withUnsafeBufferPointer { xp in
                    for b in 0..<batch {
                        for j in 0..<c {
                            let p = b * c + j
                            var dGain: Float = 0, dShift: Float = 0
                            for i in (p * area)..<((p + 1) * area) {
                                dGain += gp[i] * xp[i]
                                dShift += gp[i]
                            }
                            gainOffset.gradient.scalars[j] += dGain
                            for i in 0..<l {
                                let yi = y[b * l + i]
                                gain.gradient.scalars[i * c + j] += yi * dGain
                                bias.gradient.scalars[i * c + j] += yi * dShift
                            }
                        }
                    }
                }
            }
        }
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        var dx = g.reshaped(input.shape)
        sampleGain.withUnsafeBufferPointer { sg in
            dx.scalars.withUnsafeMutableBufferPointer { d in
                for p in 0..<(batch * c) {
                    let scale = sg[p]
                    for i in (p * area)..<((p + 1) * area) { d[i] *= scale }
                }
            }
        }
        return dx
    }
}
