import EBMCore

/// Compositional generation: separately trained conditional energies, each conditioned on its
/// own factor of one target, are summed (a product of experts ∝ exp(−Σ E_m)) and sampled
/// jointly with one Langevin chain per target. IGEBM's `ebm_combine.py` alternates one
/// sub-step per model; summing the gradients is the same splitting without its order effects.
public struct Composition {
    public var count: Int
    public var sampler: LangevinSampler
    public var rounds: Int
    /// Also sample every model alone under the same targets, as the reference the composition
    /// must beat (each model alone knows nothing of the others' factors).
    public var includeSingleModels = true

    public init(count: Int = 64, sampler: LangevinSampler = .igebmDefaults, rounds: Int = 1) {
        self.count = count
        self.sampler = sampler
        self.rounds = rounds
    }

    /// Metrics of the joint samples for every factor of `models` (`position_error_px`,
    /// `shape_accuracy`, …) and, with `includeSingleModels`, the same metrics of each model
    /// alone prefixed `single_<condition>_`. Panels: joint samples, targets, then each model alone.
    public func run(_ models: [ImageEnergyModel], rng: inout RNG) throws -> ImageTaskResult {
        guard models.count >= 2 else { throw ImageTaskError("composition needs at least two models, got \(models.count)") }
        let data = models[0].data
        guard models.allSatisfy({ $0.data.size == data.size }) else {
            throw ImageTaskError("composed models must share one image size, got \(models.map(\.data.size))")
        }
        guard models.allSatisfy({ $0.condition != .none }) else { throw ImageTaskError("composed models must be conditional") }
        let conditions = models.map(\.condition)
        guard Set(conditions).count == conditions.count else {
            throw ImageTaskError("composed models must condition on different factors, got \(conditions.map(\.rawValue))")
        }
        // Targets vary only over what every model was trained on.
        let targets = (0..<count).map { _ in data.randomFactors(rng: &rng) }
        let quality = ImageQuality(data: data)
        let joint = SumEnergy(models.map { $0.energy(labels: $0.condition.labels(targets)) })
        var x = ImageNoise.uniform(count: count, size: data.size, rng: &rng)
        for _ in 0..<rounds { sampler.run(&x, energy: joint, rng: &rng) }
        var metrics = quality.measure(x, targets: targets, conditions: conditions)
        metrics["samples"] = Double(count)
        var panels = [x, data.renderer.render(targets)]
        if includeSingleModels {
            for model in models {
                var alone = ImageNoise.uniform(count: count, size: data.size, rng: &rng)
                let energy = model.energy(labels: model.condition.labels(targets))
                for _ in 0..<rounds { sampler.run(&alone, energy: energy, rng: &rng) }
                for (key, value) in quality.measure(alone, targets: targets, conditions: conditions) {
                    metrics["single_\(model.condition.rawValue)_\(key)"] = value
                }
                panels.append(alone)
            }
        }
        return ImageTaskResult(metrics: metrics, panels: panels)
    }
}
