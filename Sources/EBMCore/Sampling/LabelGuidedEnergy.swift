/// A conditional energy sharpened by the classifier it implies:
/// E_w(x | y) = E(x, y) + w·(−log p(y | x)), p(y | x) = softmax over `candidates` of −E(x, ·).
///
/// Sampling exp(−E_w) draws from p(x | y)·p(y | x)^w: images of class y that the energy also
/// recognises as y. It is classifier guidance with the model's own classifier, and, when every
/// class has the same normaliser, classifier-free guidance p(x | y)^(1+w) / p(x)^w with
/// p(x) = Σ_c p(x | c). w = 0 is the plain conditional energy. Each evaluation passes every
/// sample under every candidate through the network (k times the rows), so it suits a few
/// classes (shapes), not a grid of 256 positions.
public struct LabelGuidedEnergy: Energy {
    public let network: Network
    /// One label row per sample; each must be one of `candidates`.
    public let labels: Tensor
    /// Every label the classifier chooses among, one row each.
    public let candidates: Tensor
    /// w ≥ 0.
    public let weight: Float
    private let truth: [Int]

    public init(network: Network, labels: Tensor, candidates: Tensor, weight: Float) {
        precondition(weight >= 0 && weight.isFinite, "guidance weight must be finite and non-negative")
        precondition(candidates.rows >= 2, "label guidance needs at least two candidate labels")
        self.network = network
        self.labels = labels
        self.candidates = candidates
        self.weight = weight
        truth = LabelPosterior.candidateIndices(of: labels, in: candidates)
    }

    public func energies(of x: Tensor) -> [Float] {
        let e = candidateEnergies(x)
        return (0..<x.rows).map { guided(e, row: $0, rows: x.rows).value }
    }

    public func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor) {
        let b = x.rows, k = candidates.rows
        let e = candidateEnergies(x)
        var values = [Float](repeating: 0, count: b)
        var outputGradient = [Float](repeating: 0, count: k * b)
        for i in 0..<b {
            let (value, dE) = guided(e, row: i, rows: b)
            values[i] = value
            for c in 0..<k { outputGradient[c * b + i] = dE[c] }
        }
        // One backward pass through all candidate rows, then each sample's rows summed.
        let g = network.backward(Tensor(shape: [k * b, 1], scalars: outputGradient), .inputs)
        let width = x.rowWidth
        var gradient = Tensor(zeros: x.shape)
        gradient.scalars.withUnsafeMutableBufferPointer { out in
            g.scalars.withUnsafeBufferPointer { gs in
                for c in 0..<k {
                    let base = c * b * width
                    for j in 0..<(b * width) { out[j] += gs[base + j] }
                }
            }
        }
        return (values, gradient)
    }

    /// E(x, c) of every sample under every candidate, candidate-major (`[c * rows + i]`).
    private func candidateEnergies(_ x: Tensor) -> [Float] {
        let (tiled, tiledLabels) = LabelPosterior.tiled(x, under: candidates)
        return network.forward(tiled, labels: tiledLabels).scalars
    }

    /// E_w of sample `row` and its derivative with respect to each candidate's energy.
    private func guided(_ e: [Float], row i: Int, rows b: Int) -> (value: Float, energyGradient: [Float]) {
        let own = (0..<candidates.rows).map { e[$0 * b + i] }
        let term = LabelPosterior.negativeLogLikelihood(energies: own, truth: truth[i])
        let dE = own.indices.map { c in (c == truth[i] ? 1 : 0) + weight * term.energyGradient[c] }
        return (own[truth[i]] + weight * term.value, dE)
    }
}
