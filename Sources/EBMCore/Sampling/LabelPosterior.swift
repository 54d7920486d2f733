import Foundation

/// The classifier a conditional energy implies: p(y | x) = softmax over candidate labels of
/// −E(x, ·). JEM's label term in training (`ContrastiveDivergence.LabelClassification`) and
/// label guidance in sampling (`LabelGuidedEnergy`) both use it.
public enum LabelPosterior {
    /// −log p(y | x) for one input from its energies under every candidate (`truth` indexes
    /// the true label), with ∂/∂E(x, c) for each candidate c and whether the true label has
    /// the lowest energy. Stable for any energies: E(x, y) − min E + log Σ exp(−(E − min E)).
    public static func negativeLogLikelihood(energies e: [Float], truth: Int)
        -> (value: Float, energyGradient: [Float], isArgmin: Bool) {
        let lowest = e.min()!
        let w = e.map { exp(-($0 - lowest)) }
        let z = w.reduce(0, +)
        let gradient = w.indices.map { c in (c == truth ? 1 : 0) - w[c] / z }
        return (e[truth] - lowest + log(z), gradient, e[truth] == lowest)
    }

    /// Every row of `x` under every candidate, candidate-major: row c·B + i is x_i under
    /// candidate c, so one network pass gives E(x_i, c) for all of them.
    public static func tiled(_ x: Tensor, under candidates: Tensor) -> (x: Tensor, labels: Tensor) {
        let b = x.rows, k = candidates.rows
        return (x.gatherRows(Array((0..<k).map { _ in 0..<b }.joined())),
                candidates.gatherRows(Array((0..<k).map { Array(repeating: $0, count: b) }.joined())))
    }

    /// The index of each row of `labels` among the rows of `candidates` (each must be one of
    /// them exactly: one-hot classes, a grid of positions).
    public static func candidateIndices(of labels: Tensor, in candidates: Tensor) -> [Int] {
        let width = labels.rowWidth
        precondition(candidates.rowWidth == width, "candidate labels need the labels' width")
        return (0..<labels.rows).map { i in
            let own = labels.scalars[(i * width)..<((i + 1) * width)]
            guard let c = (0..<candidates.rows).first(where: { candidates.scalars[($0 * width)..<(($0 + 1) * width)] == own }) else {
                preconditionFailure("label \(i) is not among the candidate labels")
            }
            return c
        }
    }
}
