import EBMCore
import Foundation

/// Training settings of an image energy; the defaults are IGEBM's (reference §2.4): K = 60
/// Langevin steps of size 10, gradient clip 0.01, noise 0.005, box [0, 1], a 10 000-image FIFO
/// replay buffer drawn 95 % of the time, α = 1, Adam β = (0, 0.999) with the 3√v̂ + 0.1 clip.
public struct ImageTrainingOptions: Codable, Equatable, Sendable {
    public var batchSize = 32
    /// IGEBM's paper value is 1e-4 and its code's 3e-4.
    public var learningRate: Float = 3e-4
    public var langevinSteps = 60
    public var stepSize: Float = 10
    public var gradientClip: Float = 0.01
    public var noise: Float = 0.005
    public var bufferCapacity = 10_000
    public var replayFraction: Float = 0.95
    /// α of the CD loss.
    public var regularization: Float = 1
    /// Rows per step of known negatives for a conditional model: data images under a label
    /// they do not show (`ShapeDataset.mismatchedLabel`). Not in IGEBM, whose negatives only
    /// ever come from the sampler; 0 turns them off.
    public var labelNegatives = 0
    /// γ of JEM's label cross-entropy −log p(y | x) over every candidate label of the
    /// condition (`ContrastiveDivergence.LabelClassification`); 0 turns it off, as IGEBM.
    /// Each step then also evaluates every positive under every candidate: 3 rows per
    /// positive for shape, but 256 for position.
    public var labelClassification: Float = 0
    /// Groups of negative chains refined at once, one per core (`ContrastiveDivergence.chainShards`).
    public var chainShards = 2

    public init() {}

    /// The IGEBM-mode sampler these options describe.
    public var sampler: LangevinSampler {
        LangevinSampler(steps: langevinSteps, stepSize: .constant(stepSize),
                        mode: .igebm(noise: noise, gradientClip: gradientClip, bounds: 0...1))
    }

    /// A one-line reason why these options cannot train, or nil.
    public var problem: String? {
        guard batchSize >= 1 && batchSize <= 4096 else { return "batch size must be in 1...4096, got \(batchSize)" }
        guard learningRate.isFinite && learningRate > 0 else { return "learning rate must be positive, got \(learningRate)" }
        guard langevinSteps >= 1 else { return "Langevin steps must be at least 1, got \(langevinSteps)" }
        guard stepSize.isFinite && stepSize > 0 else { return "step size must be positive, got \(stepSize)" }
        guard gradientClip.isFinite && gradientClip > 0 else { return "gradient clip must be positive, got \(gradientClip)" }
        guard noise.isFinite && noise >= 0 else { return "noise must be non-negative, got \(noise)" }
        guard bufferCapacity >= 1 else { return "buffer capacity must be at least 1, got \(bufferCapacity)" }
        guard replayFraction.isFinite && (0...1).contains(replayFraction) else {
            return "replay fraction must be in [0, 1], got \(replayFraction)"
        }
        guard regularization.isFinite && regularization >= 0 else { return "α must be non-negative, got \(regularization)" }
        guard chainShards >= 1 && chainShards <= 64 else { return "chain shards must be in 1...64, got \(chainShards)" }
        guard labelNegatives >= 0 && labelNegatives <= 4096 else { return "label negatives must be in 0...4096, got \(labelNegatives)" }
        guard labelClassification.isFinite && labelClassification >= 0 else {
            return "label classification weight must be non-negative, got \(labelClassification)"
        }
        return nil
    }
}

/// Trains an image energy on its procedural data with the core's contrastive-divergence
/// trainer: positives are freshly rendered sprites with their labels, negatives are
/// IGEBM-mode Langevin chains from U(0, 1) noise or the replay buffer.
///
/// Unlike IGEBM the buffer keeps each chain's label (reference §6.2 item 6), so a replayed
/// chain keeps sampling the class it started with.
public struct ImageTrainer {
    public let options: ImageTrainingOptions
    private var trainer: ContrastiveDivergence
    private var rng: RNG
    private let spec: ImageModelSpec
    private let startStep: Int

    /// A trainer for `model`; `state` (`state()` of an earlier run, as stored in a checkpoint's
    /// extras) resumes Adam's moments and the replay buffer. A saved buffer that does not fit
    /// `options.bufferCapacity` (more chains than it holds, or a full buffer into a larger one)
    /// is not restored: the chains then restart from noise.
    public init(model: ImageEnergyModel, options: ImageTrainingOptions, seed: UInt64,
                state: [String: Tensor] = [:]) {
        self.options = options
        spec = model.spec
        startStep = model.step
        let size = model.data.size
        var adam = Adam(learningRate: options.learningRate, beta1: 0, beta2: 0.999, clipsGradients: true)
        adam.restore(state, names: Self.trainableNames(model.network))
        let width = model.condition.labelWidth
        var buffer = ReplayBuffer(capacity: options.bufferCapacity, rowWidth: size * size, labelWidth: width, policy: .fifo)
        if let rows = state[Self.bufferRowsKey], let seen = state[Self.bufferSeenKey].flatMap(Self.decodeCount),
           let restored = ReplayBuffer(capacity: options.bufferCapacity, rowWidth: size * size, labelWidth: width,
                                       restoringFIFO: (rows, state[Self.bufferLabelsKey]), seen: seen) {
            buffer = restored
        }
        trainer = ContrastiveDivergence(network: model.network, optimizer: adam, sampler: options.sampler,
                                        replay: buffer, freshNegatives: { positives, rng in
                                            ImageNoise.uniform(count: positives.rows, size: size, rng: &rng)
                                        })
        trainer.replayFraction = options.replayFraction
        trainer.regularization = options.regularization
        trainer.chainShards = options.chainShards
        if options.labelClassification > 0 && model.condition != .none {
            trainer.labelClassification = .init(weight: options.labelClassification, candidates: model.candidateLabels)
        }
        // A resumed run draws from its own stream, so it never replays the data of the steps
        // before the checkpoint.
        rng = RNG(seed: seed, stream: UInt64(model.step) &+ 1)
    }

    /// The model with its current weights and step count.
    public var model: ImageEnergyModel {
        ImageEnergyModel(spec: spec, network: trainer.network, step: startStep + trainer.step)
    }

    /// One CD step on a fresh batch of rendered sprites.
    @discardableResult
    public mutating func step() throws -> ContrastiveDivergenceStatistics {
        let (images, factors) = spec.data.batch(options.batchSize, rng: &rng)
        var known: Tensor?, knownLabels: Tensor?
        let condition = spec.condition
        if options.labelNegatives > 0 && condition != .none {
            let rows = (0..<options.labelNegatives).map { $0 % factors.count }
            known = images.gatherRows(rows)
            knownLabels = Tensor(shape: [rows.count, condition.labelWidth], scalars: rows.flatMap {
                spec.data.mismatchedLabel(for: factors[$0], condition: condition, rng: &rng)
            })
        }
        var statistics = try trainer.step(positives: images, labels: condition.labels(factors), knownNegatives: known,
                                          knownNegativeLabels: knownLabels, rng: &rng)
        statistics.step += startStep
        return statistics
    }

    /// Adam's moments and the replay buffer (rows in slot order, labels, additions so far) as
    /// checkpoint extras, so a resumed run continues the chains instead of restarting them.
    public func state() -> [String: Tensor] {
        let trainable = trainer.network.namedParameters.filter { $0.parameter.isTrainable }
        var state = trainer.optimizer.state(names: trainable.map(\.name), shapes: trainable.map(\.parameter.value.shape))
        if let buffer = trainer.replay, buffer.count > 0 {
            let contents = buffer.contents
            state[Self.bufferRowsKey] = contents.rows
            state[Self.bufferLabelsKey] = contents.labels
            state[Self.bufferSeenKey] = Self.encodeCount(buffer.seen)
        }
        return state
    }

    /// How many chains the replay buffer holds.
    public var bufferCount: Int { trainer.replay?.count ?? 0 }

    private static let bufferRowsKey = "replay.rows"
    private static let bufferLabelsKey = "replay.labels"
    private static let bufferSeenKey = "replay.seen"

    /// A count as two exact floats (high and low 24 bits): one float is exact only to 2²⁴.
    private static func encodeCount(_ n: Int) -> Tensor {
        Tensor(shape: [2], scalars: [Float(n >> 24), Float(n & 0xFF_FFFF)])
    }

    private static func decodeCount(_ t: Tensor) -> Int? {
        guard t.scalars.count == 2, t.scalars.allSatisfy({ $0.isFinite && $0 >= 0 && $0 < 0x1p24 && $0.rounded() == $0 }) else { return nil }
        return Int(t.scalars[0]) << 24 | Int(t.scalars[1])
    }

    /// `count` chains drawn at random from the replay buffer (what the model currently
    /// samples), with their labels; nil before the first step.
    public func bufferSamples(_ count: Int, rng: inout RNG) -> (images: Tensor, labels: Tensor?)? {
        guard let buffer = trainer.replay, buffer.count > 0 else { return nil }
        let size = spec.data.size
        let width = buffer.labelWidth
        let (images, labels, _) = buffer.mix(fresh: Tensor(zeros: [count, 1, size, size]),
                                             labels: width == 0 ? nil : Tensor(zeros: [count, width]),
                                             fraction: 1, rng: &rng)
        return (images, labels)
    }

    private static func trainableNames(_ network: Network) -> [String] {
        network.namedParameters.filter { $0.parameter.isTrainable }.map(\.name)
    }
}
