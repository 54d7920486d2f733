/// When an episode counts as solved: a goal-space distance below a tolerance.
///
/// Planners and evaluators read this instead of hard-coding each environment's rule.
public struct SuccessRule: Sendable, Equatable {
    /// How goal-space distance is measured.
    public enum Norm: Sendable, Equatable {
        /// Sum of absolute differences (particle, maze).
        case l1
        /// Euclidean distance (reacher).
        case l2
    }

    public var norm: Norm
    /// Success when the distance is strictly below this.
    public var tolerance: Double
    /// `true`: meeting the rule ends the episode at once (particle, maze). `false`: the episode
    /// runs to its time limit and success is judged in its final state (reacher).
    public var endsEpisode: Bool

    public init(norm: Norm, tolerance: Double, endsEpisode: Bool) {
        self.norm = norm
        self.tolerance = tolerance
        self.endsEpisode = endsEpisode
    }

    /// Distance between two goal-space points in this rule's norm.
    public func distance<V: SIMD>(_ a: V, _ b: V) -> Double where V.Scalar == Double {
        let d = a - b
        switch norm {
        case .l1: return (d.replacing(with: -d, where: d .< 0)).sum()
        case .l2: return (d * d).sum().squareRoot()
        }
    }

    /// Whether a goal-space point counts as having reached `goal`.
    public func isMet<V: SIMD>(_ point: V, goal: V) -> Bool where V.Scalar == Double {
        distance(point, goal) < tolerance
    }
}
