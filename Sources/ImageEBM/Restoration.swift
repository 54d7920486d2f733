import EBMCore

/// Salt-and-pepper restoration (IGEBM's `anticorrupt`): 5 % of pixels are set to 0.1 and
/// another 5 % to 0.9, then Langevin moves the pixels that may be wrong under the true label.
///
/// The baseline fills exactly the corrupted pixels from the data set's mean image, so it knows
/// which pixels were hit — information the model never gets.
public struct Restoration {
    public var count: Int
    public var sampler: LangevinSampler
    public var rounds: Int
    /// Chains per image, all from the corrupted image, averaged (`ImageEnergyModel.refine`).
    public var chains: Int
    /// Which pixels Langevin moves.
    public var moving: Moving = .suspects
    /// Fractions of pixels set to `lowLevel` and to `highLevel`.
    public var lowFraction: Float = 0.05
    public var highFraction: Float = 0.05
    /// The values corrupted pixels take (IGEBM: 0.1 and 0.9).
    public var lowLevel: Float = 0.1
    public var highLevel: Float = 0.9

    /// The pixels a restoration treats as unknown.
    public enum Moving: String, CaseIterable, Sendable {
        /// Every pixel, as IGEBM: the model alone decides what is noise.
        case all
        /// The pixels whose value is one of the two corruption levels. Under the known noise
        /// model every other pixel is observed exactly, so these are the only unknowns of the
        /// posterior. Sprites with the default 4×4 supersampling (k/16 coverage) and 8-bit
        /// data never take those values; a clean pixel that did would merely be resampled.
        case suspects
    }

    public init(count: Int = 64, sampler: LangevinSampler = .igebmDefaults, rounds: Int = 1, chains: Int = 1) {
        self.count = count
        self.sampler = sampler
        self.rounds = rounds
        self.chains = chains
    }

    /// `images` with salt-and-pepper noise, and which coordinates were hit.
    public func corrupt(_ images: Tensor, rng: inout RNG) -> (corrupted: Tensor, hit: [Bool]) {
        var corrupted = images
        var hit = [Bool](repeating: false, count: images.count)
        for i in 0..<images.count {
            let u = rng.uniform()
            if u < lowFraction {
                corrupted.scalars[i] = lowLevel
                hit[i] = true
            } else if u < lowFraction + highFraction {
                corrupted.scalars[i] = highLevel
                hit[i] = true
            }
        }
        return (corrupted, hit)
    }

    /// Metrics `restored_mse`, `corrupted_mse`, `baseline_mse` (mean fill of the hit pixels)
    /// and `ratio` = restored / baseline, all over whole images; panels: originals, corrupted,
    /// restored, baseline.
    public func run(_ model: ImageEnergyModel, rng: inout RNG) -> ImageTaskResult {
        let (originals, factors) = model.data.batch(count, rng: &rng)
        let (corrupted, hit) = corrupt(originals, rng: &rng)
        let mean = model.data.meanImage()
        var baseline = corrupted
        for i in 0..<hit.count where hit[i] { baseline.scalars[i] = mean[i % mean.count] }
        let mask = moving == .all ? nil : corrupted.scalars.map { $0 == lowLevel || $0 == highLevel }
        let x = model.refine(Array(repeating: corrupted, count: chains), labels: model.condition.labels(factors),
                             mask: mask, sampler: sampler, rounds: rounds, rng: &rng)
        let restored = ImageMetrics.meanSquaredError(x, originals)
        let base = ImageMetrics.meanSquaredError(baseline, originals)
        return ImageTaskResult(metrics: [
            "restored_mse": Double(restored), "baseline_mse": Double(base),
            "corrupted_mse": Double(ImageMetrics.meanSquaredError(corrupted, originals)),
            "ratio": Double(restored / max(base, .leastNormalMagnitude)), "images": Double(count),
        ], panels: [originals, corrupted, x, baseline])
    }
}
