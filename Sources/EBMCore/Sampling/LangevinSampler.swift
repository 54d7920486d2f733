/// Langevin dynamics over any `Energy`: one sampler for training negatives, planning and
/// image sampling.
///
/// Two explicit modes:
/// - `proper`: x ← x − ε∇E(x) + √(2εT)·ξ, the discretised Langevin diffusion whose stationary
///   density is ∝ exp(−E/T) for small ε (T = 0 gives gradient descent).
/// - `igebm`: the IGEBM seed code's decoupled update, noise first and the gradient taken at the
///   noised point: x ← clamp(x + σξ − λ·clip(∇E(x + σξ), ±c)). Its noise is far below the
///   Langevin value, so it behaves as noisy clipped descent towards low energy.
///
/// A mask freezes coordinates: the clamped start of a plan, the observed s_t of a transition,
/// the known half of an image (one flag per coordinate of a row, shared by all rows), or the
/// pixels of each image that an observation pins down (one flag per element of the batch).
public struct LangevinSampler: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Proper Langevin with a (possibly annealed) temperature.
        case proper(temperature: Schedule)
        /// IGEBM's update: noise std σ, optional element-wise gradient clip, optional box.
        case igebm(noise: Float, gradientClip: Float?, bounds: ClosedRange<Float>?)
    }

    /// Number of updates per call.
    public var steps: Int
    /// ε (proper) or λ (igebm) per iteration.
    public var stepSize: Schedule
    public var mode: Mode
    /// Proper mode only: the gradient of each row (its moving coordinates) is scaled down to
    /// at most this Euclidean norm before the step (nil: no clip). A very stiff term, such as
    /// an obstacle penalty, then moves a row at most ε·clip per iteration instead of throwing
    /// it far past the minimum, so ε can stay large enough for the soft terms to converge.
    public var gradientNormClip: Float?
    /// Proper mode only: a constant diagonal metric M, one positive entry per coordinate of a
    /// row (nil: identity). The update becomes x ← x − εM∇E + √(2εT)·M^½ξ, which keeps the
    /// stationary density ∝ exp(−E/T) while letting coordinates of very different scales (a
    /// reacher's angles and speeds) move at rates suited to each.
    public var preconditioner: [Float]?

    public init(steps: Int, stepSize: Schedule, mode: Mode, gradientNormClip: Float? = nil, preconditioner: [Float]? = nil) {
        precondition(gradientNormClip.map { $0 > 0 } ?? true, "gradient norm clip must be positive")
        precondition(preconditioner?.allSatisfy { $0 > 0 && $0.isFinite } ?? true, "preconditioner entries must be positive")
        self.steps = steps
        self.stepSize = stepSize
        self.mode = mode
        self.gradientNormClip = gradientNormClip
        self.preconditioner = preconditioner
    }

    /// IGEBM's training sampler: 60 steps of size 10, noise 0.005, gradient clip 0.01, box [0, 1].
    public static let igebmDefaults = LangevinSampler(
        steps: 60, stepSize: .constant(10), mode: .igebm(noise: 0.005, gradientClip: 0.01, bounds: 0...1))

    /// Runs `steps` updates on the batch `x` in place.
    ///
    /// - Parameters:
    ///   - mask: `true` for coordinates that move: one flag per coordinate of a row, shared by
    ///     all rows, or one per element of `x`; nil moves all.
    ///   - observe: called before every update with the iteration, the current batch and its
    ///     energies (planners use it to keep the best sample seen).
    public func run(
        _ x: inout Tensor,
        energy: some Energy,
        mask: [Bool]? = nil,
        rng: inout RNG,
        observe: ((Int, Tensor, [Float]) -> Void)? = nil
    ) {
        let width = x.rowWidth
        if let mask {
            precondition(mask.count == width || mask.count == x.count,
                         "mask has \(mask.count) flags for rows of \(width) and \(x.count) elements")
        }
        if let preconditioner { precondition(preconditioner.count == width, "preconditioner has \(preconditioner.count) entries for rows of \(width)") }
        let metric = preconditioner ?? [Float](repeating: 1, count: width)
        let metricRoot = metric.map { $0.squareRoot() }
        let rows = width == 0 ? 0 : x.count / width
        // The moving columns of each row, in order: the loops visit exactly the coordinates (and
        // draw noise in exactly the order) of a pass over every element that skips frozen ones.
        let movingColumns: [[Int]]
        if let mask, mask.count != width {
            movingColumns = (0..<rows).map { r in (0..<width).filter { mask[r * width + $0] } }
        } else {
            movingColumns = [mask.map { m in m.indices.filter { m[$0] } } ?? Array(0..<width)]
        }
        func moving(_ row: Int) -> [Int] { movingColumns.count == 1 ? movingColumns[0] : movingColumns[row] }
        for k in 0..<steps {
            let eps = stepSize.value(at: k, of: steps)
            switch mode {
            case let .proper(temperatureSchedule):
                let (e, g) = energy.energiesAndGradient(at: x)
                observe?(k, x, e)
                let noiseScale = (2 * eps * max(temperatureSchedule.value(at: k, of: steps), 0)).squareRoot()
                x.scalars.withUnsafeMutableBufferPointer { xs in
                    g.scalars.withUnsafeBufferPointer { gs in
                        for r in 0..<rows {
                            let row = r * width
                            var scale: Float = 1
                            if let clip = gradientNormClip {
                                var squares: Float = 0
                                for j in moving(r) { squares += gs[row + j] * gs[row + j] }
                                let norm = squares.squareRoot()
                                if norm > clip { scale = clip / norm }
                            }
                            for j in moving(r) {
                                var step = -eps * scale * metric[j] * gs[row + j]
                                if noiseScale > 0 { step += noiseScale * metricRoot[j] * rng.gaussian() }
                                xs[row + j] += step
                            }
                        }
                    }
                }
            case let .igebm(noise, clip, bounds):
                x.scalars.withUnsafeMutableBufferPointer { xs in
                    for r in 0..<rows {
                        for j in moving(r) { xs[r * width + j] += noise * rng.gaussian() }
                    }
                }
                let (e, g) = energy.energiesAndGradient(at: x)
                observe?(k, x, e)
                x.scalars.withUnsafeMutableBufferPointer { xs in
                    g.scalars.withUnsafeBufferPointer { gs in
                        for r in 0..<rows {
                            for j in moving(r) {
                                let i = r * width + j
                                var gi = gs[i]
                                if let clip { gi = min(max(gi, -clip), clip) }
                                var xi = xs[i] - eps * gi
                                if let bounds { xi = min(max(xi, bounds.lowerBound), bounds.upperBound) }
                                xs[i] = xi
                            }
                        }
                    }
                }
            }
        }
    }
}
