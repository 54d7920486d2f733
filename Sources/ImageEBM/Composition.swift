import EBMCore

/// Compositional generation: separately trained conditional energies, each conditioned on its
/// own factor of one target, are sampled jointly as a product of experts ∝ exp(−Σ E_m), with
/// one Langevin chain per target.
public struct Composition {
    public var count: Int
    public var sampler: LangevinSampler
    public var rounds: Int
    /// How the experts' gradients combine in each Langevin step.
    public var mode: Mode = .sum
    /// Also sample every model alone under the same targets, as the reference the composition
    /// must beat (each model alone knows nothing of the others' factors).
    public var includeSingleModels = true
    /// Label guidance of each model's expert, in the models' order (empty: none); each model
    /// alone is sampled with its own.
    public var guidance: [LabelGuidance] = []

    public enum Mode: String, CaseIterable, Sendable {
        /// One step on ∇Σ E_m: the clean form.
        case sum
        /// IGEBM's `ebm_combine.py`: every step is one sub-step per model in turn, each with
        /// its own noise and clip. The same splitting of ∇Σ E_m for small steps, but under the
        /// igebm sampler's element-wise clip each expert moves a pixel at most λ·c per step,
        /// so an expert with steeper energies cannot drown the others.
        case alternate
    }

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
        guard guidance.isEmpty || guidance.count == models.count else {
            throw ImageTaskError("give one label guidance per model (\(models.count)), got \(guidance.count)")
        }
        // Targets vary only over what every model was trained on.
        let targets = (0..<count).map { _ in data.randomFactors(rng: &rng) }
        let quality = ImageQuality(data: data)
        let labels = models.map { $0.condition.labels(targets) }
        func expertEnergy(_ m: Int, round: Int) -> any Energy {
            (guidance.isEmpty ? .none : guidance[m]).energy(of: models[m], labels: labels[m], round: round)
        }
        var x = ImageNoise.uniform(count: count, size: data.size, rng: &rng)
        for round in 0..<rounds {
            let experts = models.indices.map { expertEnergy($0, round: round) }
            switch mode {
            case .sum:
                sampler.run(&x, energy: SumEnergy(experts), rng: &rng)
            case .alternate:
                var one = sampler
                one.steps = 1
                for k in 0..<sampler.steps {
                    one.stepSize = .constant(sampler.stepSize.value(at: k, of: sampler.steps))
                    for expert in experts { one.run(&x, energy: expert, rng: &rng) }
                }
            }
        }
        var metrics = quality.measure(x, targets: targets, conditions: conditions)
        metrics["samples"] = Double(count)
        var panels = [x, data.renderer.render(targets)]
        if includeSingleModels {
            for (m, model) in models.enumerated() {
                var alone = ImageNoise.uniform(count: count, size: data.size, rng: &rng)
                for round in 0..<rounds { sampler.run(&alone, energy: expertEnergy(m, round: round), rng: &rng) }
                for (key, value) in quality.measure(alone, targets: targets, conditions: conditions) {
                    metrics["single_\(model.condition.rawValue)_\(key)"] = value
                }
                panels.append(alone)
            }
        }
        return ImageTaskResult(metrics: metrics, panels: panels)
    }
}
