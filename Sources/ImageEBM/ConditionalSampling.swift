import EBMCore

/// Unconditional or conditional generation: `count` ground-truth factor sets are drawn, each
/// chain starts from U(0, 1) noise under its set's label and runs `rounds` × `sampler`; the
/// samples are scored against those factors (`ImageQuality`). For an unconditional model the
/// factors are only a reference, so only template fit (`mean_iou`, `recognisable`) is meaningful.
public struct ConditionalSampling {
    public var count: Int
    public var sampler: LangevinSampler
    public var rounds: Int
    /// Label guidance: the guided rounds sample p(x | y)·p(y | x)^w under the model's own
    /// classifier (`LabelGuidedEnergy`); `.none` samples the plain conditional energy.
    public var guidance = LabelGuidance.none

    public init(count: Int = 64, sampler: LangevinSampler = .igebmDefaults, rounds: Int = 1) {
        self.count = count
        self.sampler = sampler
        self.rounds = rounds
    }

    /// Panels: the samples, then renders of their target factors.
    public func run(_ model: ImageEnergyModel, rng: inout RNG) -> ImageTaskResult {
        let targets = (0..<count).map { _ in model.data.randomFactors(rng: &rng) }
        let samples = model.sample(count: count, labels: model.condition.labels(targets), sampler: sampler,
                                   rounds: rounds, guidance: guidance, rng: &rng)
        var metrics = ImageQuality(data: model.data).measure(samples, targets: targets, conditions: [model.condition])
        metrics["samples"] = Double(count)
        metrics["guidance"] = Double(guidance.weight)
        metrics["unguided_rounds"] = Double(guidance.unguidedRounds)
        return ImageTaskResult(metrics: metrics, panels: [samples, model.data.renderer.render(targets)])
    }
}
