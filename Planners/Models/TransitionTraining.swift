import EBMCore
import EBMEnvironments
import Foundation

/// Settings of offline transition-model training. Defaults are SPEC §5's (batch 256, Adam
/// lr 1e-3 with β = (0, 0.999), α = 1, FIFO replay of 10 000 chains continued 95 % of the
/// time) and the negative sampler chosen by the held-out ranking measurement in
/// `Planners/Models/README.md`.
public struct TransitionTrainingSettings: Equatable, Sendable {
    public var batchSize = 256
    public var learningRate: Float = 1e-3
    /// α of the CD loss.
    public var regularization: Float = 1
    public var replayCapacity = 10_000
    public var replayFraction: Float = 0.95
    /// Langevin iterations per negative batch.
    public var samplerSteps = 20
    /// Langevin step ε in delta-feature units (one unit ≈ one control step's spread).
    public var samplerStepSize: Float = 0.03
    /// Langevin temperature: noise √(2εT) per iteration.
    public var samplerTemperature: Float = 0.1
    /// Fresh chains start at s_t+1 = s_t + U(−ρ, ρ) per coordinate, with ρ (delta-feature units)
    /// log-uniform in this range per chain: near the data for precision, far for an energy that
    /// keeps rising away from it.
    public var freshRadius: ClosedRange<Float> = 0.5...16
    /// Fraction of fresh chains whose s_t is displaced too (same radius; s_t stays fixed during
    /// the chain). The energy then also rises for states the data never visits — inside walls,
    /// beyond joint limits — which the planner queries but conditional negatives never reach.
    public var freshStateFraction: Float = 1
    /// Per state coordinate, the standard deviation of Gaussian noise added to s_t+1 in the
    /// inverse dynamics' training inputs (nil: none). A planned s_t+1 is never exactly feasible;
    /// noise on the coordinates the action sets only indirectly (a reacher's angles, which
    /// integrate its speeds) teaches the inverse to read the action from the rest.
    public var inverseNextStateNoise: [Float]?
    /// Learning rate of the inverse and forward dynamics (Adam, β1 = 0.9).
    public var regressionLearningRate: Float = 1e-3
    /// Moves the world refused (`TransitionData.refusedMoves`) joined to each batch's sampled
    /// negatives (0: none). They price exactly the transitions a planner must not believe —
    /// through a wall's face or corner — which conditional Langevin negatives rarely reach.
    public var refusedMoveNegatives = 0

    public init() {}

    /// The defaults `ebm-plan train` uses for `kind` (and the embedded models were trained with).
    ///
    /// Reacher: α = 0.01, so the spectrally normalised energy spans ±50 rather than ±0.5 and a
    /// plan's infeasible transitions cost enough against the fingertip goal; s_t never
    /// displaced, since joint negatives teach the energy which states random rollouts visit
    /// (high speeds) and plans then chase those instead of the goal (return −7 to −28 against
    /// −4.5 to −6 with
    /// conditional negatives only; 20-episode runs over the same planner settings); angle noise 0.03 rad on the inverse dynamics' s_t+1, about
    /// the plans' own angle/speed inconsistency (control cost 1.23 → 1.05 per episode).
    ///
    /// Maze: the moves its walls refused as negatives (64 per batch) and α = 0.1. With α = 1
    /// and Langevin negatives alone the energy of a step into wall A was 0.3 above a free one,
    /// too little for any plan to go around; with these, a step into a wall costs ≈ 3 and one
    /// inside it ≈ 5 more than the median free step, against a spread of ±1 among free steps
    /// (41 × 41 lattice steps; α = 0.01 widens the gap but its free steps spread by ±10).
    public static func standard(for kind: EnvironmentKind) -> TransitionTrainingSettings {
        var settings = TransitionTrainingSettings()
        if kind == .maze {
            settings.regularization = 0.1
            settings.refusedMoveNegatives = 64
        }
        if kind == .reacher {
            settings.regularization = 0.01
            settings.freshStateFraction = 0
            settings.inverseNextStateNoise = [0.03, 0.03, 0, 0]
        }
        return settings
    }
}

/// One training step as the progress callback sees it.
public struct TransitionTrainingProgress: Sendable {
    public var step: Int
    public var loss: Float
    public var positiveEnergy: Float
    public var negativeEnergy: Float
    public var inverseLoss: Float?
    /// In delta-feature units.
    public var forwardLoss: Float
}

/// Offline training of an environment's transition models from rollouts (SPEC §5).
///
/// Each step draws a batch of observed transitions (s_t, s_t+1) as positives; the core
/// `ContrastiveDivergence` makes negatives by Langevin on s_t+1 only (s_t is masked), chains
/// continuing from a FIFO replay buffer or starting fresh around s_t; the inverse and forward
/// dynamics take one MSE step on the same transitions. Every random draw of step k comes from
/// `RNG(seed, stream: k)`, and checkpoints hold the optimisers' moments and the replay
/// buffer, so a run resumed from a checkpoint continues exactly as the uninterrupted run
/// would have. The last tenth of the episodes is held out for `report()`.
public struct TransitionTrainer {
    public let configuration: TransitionModelConfiguration
    public let settings: TransitionTrainingSettings
    public let seed: UInt64
    /// Steps completed.
    public private(set) var step = 0
    /// Held-out transitions (whole episodes).
    public let heldOut: TransitionData

    private let fingerprint: String
    private let frame: NegativeSamplingFrame
    private let positives: Tensor
    private let refused: Tensor
    private let training: TransitionData
    private let forwardExamples: (inputs: Tensor, targets: Tensor)
    private var contrastive: ContrastiveDivergence
    private var inverse: RegressionTrainer?
    private var forward: RegressionTrainer
    private var recent: [ContrastiveDivergenceStatistics] = []

    /// A fresh run with networks initialised from `seed`.
    public init(configuration: TransitionModelConfiguration, data: TransitionData,
                settings: TransitionTrainingSettings = TransitionTrainingSettings(), seed: UInt64) throws {
        try self.init(bundle: TransitionModelBundle(configuration: configuration, seed: seed), data: data,
                      settings: settings, seed: seed, resume: false)
    }

    /// Continues the run saved in `bundle` (a checkpoint written by `train`) on the same data.
    public init(resuming bundle: TransitionModelBundle, data: TransitionData,
                settings: TransitionTrainingSettings = TransitionTrainingSettings()) throws {
        guard let seedText = bundle.info["seed"], let seed = UInt64(seedText) else {
            throw TransitionModelError("the model has no training state to resume from (it was saved without one)")
        }
        try self.init(bundle: bundle, data: data, settings: settings, seed: seed, resume: true)
    }

    private init(bundle: TransitionModelBundle, data: TransitionData, settings: TransitionTrainingSettings,
                 seed: UInt64, resume: Bool) throws {
        let configuration = bundle.configuration
        guard data.environment == configuration.environment else {
            throw TransitionModelError("the dataset is for \(data.environment.rawValue), the model for \(configuration.environment.rawValue)")
        }
        try Self.validate(settings)
        (training, heldOut) = try data.split()
        self.configuration = configuration
        self.settings = settings
        self.seed = seed
        fingerprint = data.fingerprint
        frame = NegativeSamplingFrame(energyConfig: configuration.energy)
        positives = frame.framed(training.pairs)
        refused = frame.framed(settings.refusedMoveNegatives > 0 ? training.refusedMoves() : Tensor(zeros: [0, 2 * configuration.stateDimension]))
        forwardExamples = TransitionModelEvaluation.forwardExamples(training)

        let d = configuration.stateDimension
        let stateFraction = settings.freshStateFraction
        let (low, high) = (settings.freshRadius.lowerBound / frame.unit, settings.freshRadius.upperBound / frame.unit)
        contrastive = ContrastiveDivergence(
            network: frame.samplingNetwork(copying: bundle.energy),
            optimizer: Adam(learningRate: settings.learningRate, beta1: 0, beta2: 0.999),
            sampler: frame.sampler(steps: settings.samplerSteps, stepSize: settings.samplerStepSize,
                                   temperature: settings.samplerTemperature),
            replay: ReplayBuffer(capacity: settings.replayCapacity, rowWidth: 2 * d, policy: .fifo),
            mask: frame.conditionalMask,
            freshNegatives: { positives, rng in
                var x = positives
                for r in 0..<x.rows {
                    let radius = low * powf(high / low, rng.uniform())
                    if rng.uniform() < stateFraction {
                        for i in 0..<d { x.scalars[r * 2 * d + i] += rng.uniform(-radius, radius) }
                    }
                    for i in 0..<d { x.scalars[r * 2 * d + d + i] = x.scalars[r * 2 * d + i] + rng.uniform(-radius, radius) }
                }
                return x
            })
        contrastive.replayFraction = settings.replayFraction
        contrastive.regularization = settings.regularization
        let regression = Adam(learningRate: settings.regressionLearningRate, beta1: 0.9, beta2: 0.999)
        inverse = bundle.inverseDynamics.map { RegressionTrainer(network: $0, optimizer: regression) }
        forward = RegressionTrainer(network: bundle.forwardDynamics, optimizer: regression,
                                    outputWeights: TransitionModelEvaluation.forwardWeights(configuration))
        if resume { try restore(bundle) }
    }

    private static func validate(_ s: TransitionTrainingSettings) throws {
        func positive(_ name: String, _ ok: Bool) throws {
            guard ok else { throw TransitionModelError("training setting \(name) must be positive and finite") }
        }
        try positive("batch size", s.batchSize > 0)
        try positive("replay capacity", s.replayCapacity > 0)
        try positive("sampler steps", s.samplerSteps >= 0)
        try positive("refused-move negatives", s.refusedMoveNegatives >= 0)
        for (name, v) in [("learning rate", s.learningRate), ("sampler step size", s.samplerStepSize),
                          ("fresh radius", s.freshRadius.lowerBound), ("fresh radius", s.freshRadius.upperBound),
                          ("regression learning rate", s.regressionLearningRate)] {
            try positive(name, v.isFinite && v > 0)
        }
        guard s.regularization.isFinite, s.regularization >= 0, s.samplerTemperature.isFinite, s.samplerTemperature >= 0,
              (0...1).contains(s.replayFraction), (0...1).contains(s.freshStateFraction),
              s.inverseNextStateNoise?.allSatisfy({ $0 >= 0 && $0.isFinite }) ?? true else {
            throw TransitionModelError("training settings need α ≥ 0, temperature ≥ 0, noise ≥ 0 and fractions in [0, 1]")
        }
    }

    // MARK: Training

    /// Trains until `steps` steps are complete, saving a checkpoint to `checkpoint` every
    /// `checkpointEvery` steps and after the last one.
    ///
    /// Throws `TrainingDiverged` (with the run's step number) as soon as a value stops being
    /// finite; the models then hold the last finite parameters and the checkpoint file is the
    /// last one written.
    public mutating func train(until steps: Int, checkpoint: URL? = nil, checkpointEvery: Int? = nil,
                               progress: (TransitionTrainingProgress) -> Void = { _ in }) throws {
        while step < steps {
            var rng = RNG(seed: seed, stream: 0x7472_6169_6E00_0000 &+ UInt64(step))
            let rows = (0..<settings.batchSize).map { _ in rng.index(below: training.count) }
            let failing = step + 1
            do {
                let known = refused.rows > 0
                    ? refused.gatherRows((0..<settings.refusedMoveNegatives).map { _ in rng.index(below: refused.rows) }) : nil
                let stats = try contrastive.step(positives: positives.gatherRows(rows), knownNegatives: known, rng: &rng)
                let inverseLoss = try inverse?.step(inputs: Self.jittered(training.pairs.gatherRows(rows), nextStateNoise: settings.inverseNextStateNoise, rng: &rng),
                                                    targets: training.actions.gatherRows(rows))
                let forwardLoss = try forward.step(inputs: forwardExamples.inputs.gatherRows(rows),
                                                   targets: forwardExamples.targets.gatherRows(rows))
                step = failing
                recent.append(stats)
                if recent.count > 100 { recent.removeFirst() }
                progress(TransitionTrainingProgress(step: step, loss: stats.loss, positiveEnergy: stats.positiveEnergy,
                                                    negativeEnergy: stats.negativeEnergy, inverseLoss: inverseLoss,
                                                    forwardLoss: forwardLoss))
            } catch var diverged as TrainingDiverged {
                diverged.step = failing
                throw diverged
            }
            if let checkpoint, step == steps || checkpointEvery.map({ step % $0 == 0 }) == true {
                try bundle().save(to: checkpoint)
            }
        }
    }

    /// `pairs` [s_t, s_t+1] with N(0, noise_i²) added to coordinate i of s_t+1.
    static func jittered(_ pairs: Tensor, nextStateNoise noise: [Float]?, rng: inout RNG) -> Tensor {
        guard let noise else { return pairs }
        var x = pairs
        let d = noise.count
        for r in 0..<x.rows {
            for i in 0..<d where noise[i] > 0 { x.scalars[r * 2 * d + d + i] += noise[i] * rng.gaussian() }
        }
        return x
    }

    /// Mean E(x⁺) and E(x⁻) over the last (up to) 100 steps of this session.
    public var recentEnergies: (positive: Float, negative: Float)? {
        guard !recent.isEmpty else { return nil }
        let n = Float(recent.count)
        return (recent.map(\.positiveEnergy).reduce(0, +) / n, recent.map(\.negativeEnergy).reduce(0, +) / n)
    }

    /// Held-out measures of the current models.
    public func report() -> TransitionModelReport { TransitionModelEvaluation.report(bundle(), heldOut: heldOut) }

    // MARK: Checkpoints

    /// The current models with everything `init(resuming:)` needs.
    public func bundle() -> TransitionModelBundle {
        let energy = Network(configuration.energy, seed: 0)
        energy.assignParameters(from: contrastive.network)
        var bundle = TransitionModelBundle(configuration: configuration, energy: energy,
                                           inverseDynamics: inverse?.network, forwardDynamics: forward.network)
        bundle.storeOptimizer(contrastive.optimizer, of: contrastive.network, as: "energy")
        if let inverse { bundle.storeOptimizer(inverse.optimizer, of: inverse.network, as: "inverse") }
        bundle.storeOptimizer(forward.optimizer, of: forward.network, as: "forward")
        if let replay = contrastive.replay { bundle.storeReplay(replay, as: "replay") }
        bundle.feasibleEnergy = TransitionModelBundle.feasibleLevel(of: energy, on: heldOut.pairs)
        bundle.info["step"] = "\(step)"
        bundle.info["seed"] = "\(seed)"
        bundle.info["data"] = fingerprint
        return bundle
    }

    private mutating func restore(_ bundle: TransitionModelBundle) throws {
        guard let stepText = bundle.info["step"], let saved = Int(stepText), saved >= 0 else {
            throw TransitionModelError("the model has no training state to resume from (it was saved without one)")
        }
        guard bundle.info["data"] == fingerprint else {
            throw TransitionModelError("the model was trained on other data (\(bundle.info["data"] ?? "unknown"); this is \(fingerprint))")
        }
        try bundle.restoreOptimizer(&contrastive.optimizer, of: contrastive.network, as: "energy")
        if var inverse {
            try bundle.restoreOptimizer(&inverse.optimizer, of: inverse.network, as: "inverse")
            inverse.resume(atStep: saved)
            self.inverse = inverse
        }
        try bundle.restoreOptimizer(&forward.optimizer, of: forward.network, as: "forward")
        forward.resume(atStep: saved)
        contrastive.replay = try bundle.restoredReplay("replay", capacity: settings.replayCapacity,
                                                       rowWidth: 2 * configuration.stateDimension)
        step = saved
    }
}
