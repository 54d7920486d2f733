import EBMCore

/// Salt-and-pepper restoration (IGEBM's `anticorrupt`): 5 % of pixels are set to 0.1 and
/// another 5 % to 0.9, then Langevin moves every pixel under the true label.
///
/// The baseline fills exactly the corrupted pixels from the data set's mean image, so it knows
/// which pixels were hit — information the model never gets.
public struct Restoration {
    public var count: Int
    public var sampler: LangevinSampler
    public var rounds: Int
    /// Fractions of pixels set to 0.1 and to 0.9.
    public var lowFraction: Float = 0.05
    public var highFraction: Float = 0.05

    public init(count: Int = 64, sampler: LangevinSampler = .igebmDefaults, rounds: Int = 1) {
        self.count = count
        self.sampler = sampler
        self.rounds = rounds
    }

    /// `images` with salt-and-pepper noise, and which coordinates were hit.
    public func corrupt(_ images: Tensor, rng: inout RNG) -> (corrupted: Tensor, hit: [Bool]) {
        var corrupted = images
        var hit = [Bool](repeating: false, count: images.count)
        for i in 0..<images.count {
            let u = rng.uniform()
            if u < lowFraction {
                corrupted.scalars[i] = 0.1
                hit[i] = true
            } else if u < lowFraction + highFraction {
                corrupted.scalars[i] = 0.9
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
        var x = corrupted
        let energy = model.energy(labels: model.condition.labels(factors))
        for _ in 0..<rounds { sampler.run(&x, energy: energy, rng: &rng) }
        let restored = ImageMetrics.meanSquaredError(x, originals)
        let base = ImageMetrics.meanSquaredError(baseline, originals)
        return ImageTaskResult(metrics: [
            "restored_mse": Double(restored), "baseline_mse": Double(base),
            "corrupted_mse": Double(ImageMetrics.meanSquaredError(corrupted, originals)),
            "ratio": Double(restored / max(base, .leastNormalMagnitude)), "images": Double(count),
        ], panels: [originals, corrupted, x, baseline])
    }
}
