import EBMCore

/// Inpainting of the lower half (IGEBM's `boxcorrupt`): the lower rows are replaced and only
/// they move under masked Langevin, conditioned on the true label; the error is measured over
/// those rows against the original and compared with filling them from the data set's mean
/// image.
public struct Inpainting {
    public var count: Int
    public var sampler: LangevinSampler
    public var rounds: Int
    /// Chains per image, averaged (`ImageEnergyModel.refine`); from noise, each chain starts
    /// from its own draw.
    public var chains: Int
    /// What the hidden rows start from.
    public var start: Start = .noise

    /// The chain start of the hidden rows.
    public enum Start: String, CaseIterable, Sendable {
        /// U(0, 1) noise, as IGEBM.
        case noise
        /// The mean image, i.e. the baseline itself, which Langevin then refines.
        case meanImage
    }

    public init(count: Int = 64, sampler: LangevinSampler = .igebmDefaults, rounds: Int = 2, chains: Int = 1) {
        self.count = count
        self.sampler = sampler
        self.rounds = rounds
        self.chains = chains
    }

    /// The coordinates that are hidden and resampled: every pixel of the lower half.
    public static func lowerHalfMask(size: Int) -> [Bool] { (0..<(size * size)).map { $0 / size >= size / 2 } }

    /// Metrics `inpaint_mse`, `baseline_mse` (mean-image fill), `ratio` (their quotient) and
    /// `noise_mse` (the corrupted input); panels: originals, corrupted, inpainted, mean fill.
    public func run(_ model: ImageEnergyModel, rng: inout RNG) -> ImageTaskResult {
        let size = model.data.size
        let (originals, factors) = model.data.batch(count, rng: &rng)
        let mask = Self.lowerHalfMask(size: size)
        let mean = model.data.meanImage()
        var corrupted = originals
        var baseline = originals
        for i in 0..<originals.count where mask[i % mask.count] {
            corrupted.scalars[i] = rng.uniform()
            baseline.scalars[i] = mean[i % mask.count]
        }
        var starts = [start == .noise ? corrupted : baseline]
        for _ in 1..<max(chains, 1) {
            var next = starts[0]
            if start == .noise { for i in 0..<next.count where mask[i % mask.count] { next.scalars[i] = rng.uniform() } }
            starts.append(next)
        }
        let x = model.refine(starts, labels: model.condition.labels(factors), mask: mask, sampler: sampler,
                             rounds: rounds, rng: &rng)
        let inpaint = ImageMetrics.meanSquaredError(x, originals, region: mask)
        let base = ImageMetrics.meanSquaredError(baseline, originals, region: mask)
        return ImageTaskResult(metrics: [
            "inpaint_mse": Double(inpaint), "baseline_mse": Double(base),
            "ratio": Double(inpaint / max(base, .leastNormalMagnitude)),
            "noise_mse": Double(ImageMetrics.meanSquaredError(corrupted, originals, region: mask)),
            "images": Double(count),
        ], panels: [originals, corrupted, x, baseline])
    }
}
