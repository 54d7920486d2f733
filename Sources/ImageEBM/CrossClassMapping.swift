import EBMCore

/// Cross-class mapping (IGEBM's `crossclass`): each image starts the chain of its neighbour's
/// label — image i − 1 is pushed towards the factors of image i — and the task reports how
/// well the results match the new label before and after sampling.
public struct CrossClassMapping {
    public var count: Int
    public var sampler: LangevinSampler
    public var rounds: Int

    public init(count: Int = 32, sampler: LangevinSampler = .igebmDefaults, rounds: Int = 2) {
        self.count = count
        self.sampler = sampler
        self.rounds = rounds
    }

    /// Metrics of the starts and of the mapped images against the target labels, prefixed
    /// `before_` and `after_` (see `ImageQuality`); panels: starts, mapped, targets.
    public func run(_ model: ImageEnergyModel, rng: inout RNG) throws -> ImageTaskResult {
        guard model.condition != .none else { throw ImageTaskError("cross-class mapping needs a conditional model") }
        guard count >= 2 else { throw ImageTaskError("cross-class mapping needs at least 2 images, got \(count)") }
        let (images, targets) = model.data.batch(count, rng: &rng)
        let starts = images.gatherRows((0..<count).map { ($0 + count - 1) % count })
        var x = starts
        let energy = model.energy(labels: model.condition.labels(targets))
        for _ in 0..<rounds { sampler.run(&x, energy: energy, rng: &rng) }
        let quality = ImageQuality(data: model.data)
        var metrics: [String: Double] = ["images": Double(count)]
        for (key, value) in quality.measure(starts, targets: targets, conditions: [model.condition]) { metrics["before_" + key] = value }
        for (key, value) in quality.measure(x, targets: targets, conditions: [model.condition]) { metrics["after_" + key] = value }
        return ImageTaskResult(metrics: metrics, panels: [starts, x, images])
    }
}
