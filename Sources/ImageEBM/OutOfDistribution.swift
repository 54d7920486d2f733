import EBMCore

/// Out-of-distribution detection with the score −E (IGEBM's `mixenergy`): in-distribution
/// sprites against four kinds of outliers, each reported as an AUROC (1 = every sprite scores
/// above every outlier, 0.5 = chance). Conditional models score −min_y E(x, y) over the grid of
/// labels. Every set is built the same way (no dequantisation noise on one side only,
/// reference §4.2).
public struct OutOfDistribution {
    public var count: Int

    public init(count: Int = 64) { self.count = count }

    /// The outlier sets: `noise` (U(0, 1) pixels), `constant` (one U(0, 1) grey level per image),
    /// `interpolation` (the mean of two sprites) and `heldout` (the triangle, never trained on).
    public static let kinds = ["noise", "constant", "interpolation", "heldout"]

    /// Metrics `auroc_<kind>` and `mean_energy_<kind>` for every kind plus `mean_energy_data`;
    /// panels: the sprites, then each outlier set in `kinds` order.
    public func run(_ model: ImageEnergyModel, rng: inout RNG) -> ImageTaskResult {
        let data = model.data
        let size = data.size
        let area = size * size
        let (inliers, _) = data.batch(count, rng: &rng)
        let (others, _) = data.batch(count, rng: &rng)
        var constant = Tensor(zeros: inliers.shape)
        for i in 0..<count {
            let level = rng.uniform()
            for k in 0..<area { constant.scalars[i * area + k] = level }
        }
        var interpolation = inliers
        for i in 0..<interpolation.count { interpolation.scalars[i] = (inliers.scalars[i] + others.scalars[i]) / 2 }
        let heldout = data.renderer.render((0..<count).map { _ in data.randomFactors(shape: .triangle, rng: &rng) })
        let sets = [ImageNoise.uniform(count: count, size: size, rng: &rng), constant, interpolation, heldout]

        let candidates = data.candidateLabels(for: model.condition)
        func scores(_ x: Tensor) -> [Float] { model.minimumEnergy(of: x, over: candidates).energies.map { -$0 } }
        let inScores = scores(inliers)
        var metrics: [String: Double] = ["images": Double(count), "mean_energy_data": -average(inScores)]
        for (kind, set) in zip(Self.kinds, sets) {
            let outScores = scores(set)
            metrics["auroc_\(kind)"] = ImageMetrics.auroc(positive: inScores, negative: outScores)
            metrics["mean_energy_\(kind)"] = -average(outScores)
        }
        return ImageTaskResult(metrics: metrics, panels: [inliers] + sets)
    }

    private func average(_ values: [Float]) -> Double { values.reduce(0) { $0 + Double($1) } / Double(max(values.count, 1)) }
}
