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
/// A mask (one flag per coordinate of a row, shared by all rows) freezes coordinates: the
/// clamped start of a plan, the observed s_t of a transition, the known half of an image.
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

    public init(steps: Int, stepSize: Schedule, mode: Mode) {
        self.steps = steps
        self.stepSize = stepSize
        self.mode = mode
    }

    /// IGEBM's training sampler: 60 steps of size 10, noise 0.005, gradient clip 0.01, box [0, 1].
    public static let igebmDefaults = LangevinSampler(
        steps: 60, stepSize: .constant(10), mode: .igebm(noise: 0.005, gradientClip: 0.01, bounds: 0...1))

    /// Runs `steps` updates on the batch `x` in place.
    ///
    /// - Parameters:
    ///   - mask: `true` for coordinates that move (length = row width); nil moves all.
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
        if let mask { precondition(mask.count == width, "mask has \(mask.count) flags for rows of \(width)") }
        let moving: [Float] = mask.map { $0.map { $0 ? 1 : 0 } } ?? [Float](repeating: 1, count: width)
        for k in 0..<steps {
            let eps = stepSize.value(at: k, of: steps)
            switch mode {
            case let .proper(temperatureSchedule):
                let (e, g) = energy.energiesAndGradient(at: x)
                observe?(k, x, e)
                let noiseScale = (2 * eps * max(temperatureSchedule.value(at: k, of: steps), 0)).squareRoot()
                x.scalars.withUnsafeMutableBufferPointer { xs in
                    g.scalars.withUnsafeBufferPointer { gs in
                        for i in xs.indices {
                            let m = moving[i % width]
                            guard m != 0 else { continue }
                            var step = -eps * gs[i]
                            if noiseScale > 0 { step += noiseScale * rng.gaussian() }
                            xs[i] += step
                        }
                    }
                }
            case let .igebm(noise, clip, bounds):
                x.scalars.withUnsafeMutableBufferPointer { xs in
                    for i in xs.indices where moving[i % width] != 0 { xs[i] += noise * rng.gaussian() }
                }
                let (e, g) = energy.energiesAndGradient(at: x)
                observe?(k, x, e)
                x.scalars.withUnsafeMutableBufferPointer { xs in
                    g.scalars.withUnsafeBufferPointer { gs in
                        for i in xs.indices where moving[i % width] != 0 {
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
