import EBMCore
import Foundation

/// A trained (or fresh) image energy E(x | y) with the spec that built it.
///
/// A network keeps the activations of its last pass, so a model serves one thread; copy the
/// network (`network.copy()`) for another.
public struct ImageEnergyModel {
    public let spec: ImageModelSpec
    public let network: Network
    /// Training steps taken so far.
    public var step: Int

    /// The `kind` checkpoints of image energies carry.
    public static let checkpointKind = "image-energy"

    /// A freshly initialised model (the same seed gives the same weights).
    public init(spec: ImageModelSpec, seed: UInt64) {
        self.spec = spec
        network = Network(spec.networkConfig, seed: seed)
        step = 0
    }

    init(spec: ImageModelSpec, network: Network, step: Int) {
        self.spec = spec
        self.network = network
        self.step = step
    }

    /// An independent model with the same weights (for another thread).
    public func copy() -> ImageEnergyModel { ImageEnergyModel(spec: spec, network: network.copy(), step: step) }

    public var data: ShapeDataset { spec.data }
    public var condition: ImageCondition { spec.condition }

    /// The energy with one label row per image (nil for unconditional models).
    public func energy(labels: Tensor?) -> ConditionedEnergy { network.conditioned(on: labels) }

    /// Energies of `images` under `labels`.
    public func energies(of images: Tensor, labels: Tensor?) -> [Float] { energy(labels: labels).energies(of: images) }

    /// The energy with one label row per image, sharpened by `guidance` w > 0 towards images
    /// the model itself classifies as their label (`LabelGuidedEnergy`); w = 0 and
    /// unconditional models give the plain energy.
    public func energy(labels: Tensor?, guidance: Float) -> any Energy {
        guard guidance > 0, let labels else { return energy(labels: labels) }
        return LabelGuidedEnergy(network: network, labels: labels, candidates: candidateLabels, weight: guidance)
    }

    /// Every label of the model's condition on the data's grid, one row each
    /// (`ShapeDataset.candidateLabels`).
    public var candidateLabels: Tensor {
        let candidates = data.candidateLabels(for: condition)
        return Tensor(shape: [candidates.count, condition.labelWidth], scalars: Array(candidates.joined()))
    }

    /// Langevin samples from uniform noise, one per label row (or `count` unconditional ones):
    /// `rounds` runs of `sampler`, each on the energy `guidance` gives for that round.
    public func sample(count: Int, labels: Tensor?, sampler: LangevinSampler, rounds: Int = 1,
                       guidance: LabelGuidance = .none, rng: inout RNG) -> Tensor {
        var x = ImageNoise.uniform(count: count, size: data.size, rng: &rng)
        for round in 0..<rounds { sampler.run(&x, energy: guidance.energy(of: self, labels: labels, round: round), rng: &rng) }
        return x
    }

    /// The lowest energy of each image over `candidates` labels and the index of the label that
    /// attains it (argmin-energy classification; for unconditional models the plain energy).
    public func minimumEnergy(of images: Tensor, over candidates: [[Float]]) -> (energies: [Float], argmin: [Int]) {
        var best = [Float](repeating: .infinity, count: images.rows)
        var index = [Int](repeating: 0, count: images.rows)
        for (k, label) in candidates.enumerated() {
            let labels: Tensor? = label.isEmpty ? nil
                : Tensor(shape: [images.rows, label.count], scalars: (0..<images.rows).flatMap { _ in label })
            for (i, e) in energies(of: images, labels: labels).enumerated() where e < best[i] {
                best[i] = e
                index[i] = k
            }
        }
        return (best, index)
    }

    /// Saves weights, spec, step and `extras` (optimiser state) atomically.
    public func save(to url: URL, extras: [String: Tensor] = [:], metadata: [String: String] = [:]) throws {
        var pairs = metadata
        pairs["kind"] = Self.checkpointKind
        pairs["step"] = String(step)
        pairs["image-spec"] = try Self.specJSON(spec)
        try Checkpoint(network: network, extras: extras, metadata: pairs).save(to: url)
    }

    /// Loads a model saved by `save`; throws one line (`FileFormatError`) for a file that is not
    /// an image energy, is damaged, or whose weights do not fit its spec.
    public static func load(from url: URL) throws -> (model: ImageEnergyModel, checkpoint: Checkpoint) {
        func fail(_ problem: String) -> FileFormatError {
            FileFormatError(format: "checkpoint", file: url.lastPathComponent, problem: problem)
        }
        let checkpoint = try Checkpoint.load(from: url, kind: checkpointKind)
        guard let json = checkpoint.metadata["image-spec"],
              let spec = try? JSONDecoder().decode(ImageModelSpec.self, from: Data(json.utf8)) else {
            throw fail("has no valid image-spec in its metadata")
        }
        if let problem = spec.problem { throw fail("image-spec is invalid: \(problem)") }
        guard spec.networkConfig == checkpoint.network.config else {
            throw fail("network config does not match its image-spec")
        }
        guard let step = checkpoint.metadata["step"].flatMap(Int.init), step >= 0 else {
            throw fail("has no valid training step in its metadata")
        }
        return (ImageEnergyModel(spec: spec, network: checkpoint.network, step: step), checkpoint)
    }

    static func specJSON(_ spec: ImageModelSpec) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }
}
