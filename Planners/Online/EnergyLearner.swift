import EBMCore

/// Contrastive divergence on the transition energy with the planner's transitions as
/// negatives: the energy rises where the planner expected the world to go and it did not, and
/// falls where it did go. The core trainer swaps negatives with its replay buffer and
/// optionally refines them by Langevin on s_t+1, in the same sampling frame as offline training;
/// moves the world refused join them as known negatives, as in offline maze training.
struct EnergyLearner: OnlineLearner {
    /// The energy in state coordinates, as the planners use it.
    let network: Network
    private let frame: NegativeSamplingFrame
    private var contrastive: ContrastiveDivergence
    private let negativeReplayCapacity: Int

    init(energy: Network, settings: OnlineTrainingSettings) {
        network = energy
        frame = NegativeSamplingFrame(energyConfig: energy.config)
        negativeReplayCapacity = settings.negativeReplayCapacity
        contrastive = ContrastiveDivergence(
            network: frame.samplingNetwork(copying: energy),
            optimizer: Adam(learningRate: settings.learningRate, beta1: 0, beta2: 0.999),
            sampler: frame.sampler(steps: settings.samplerSteps, stepSize: settings.samplerStepSize,
                                   temperature: settings.samplerTemperature),
            replay: ReplayBuffer(capacity: settings.negativeReplayCapacity, rowWidth: frame.conditionalMask.count, policy: .fifo),
            mask: frame.conditionalMask,
            // Online negatives always start from the planned transitions.
            freshNegatives: { positives, _ in positives })
        contrastive.replayFraction = settings.negativeReplayFraction
        contrastive.regularization = settings.regularization
    }

    mutating func learn(_ batch: OnlineBatch, rng: inout RNG) throws -> OnlineLearningStatistics {
        // A refused move comes with what the world did from the same state, so that the known
        // negatives, which crowd at the walls, do not raise the energy of wall-side states as a
        // whole: the energy learns where s_t+1 goes, not which s_t the agent bumped from.
        let positives = Tensor.concatenatingRows([batch.positives] + (batch.refusedOutcomes.map { [$0] } ?? []))
        let stats = try contrastive.step(positives: frame.framed(positives), negativeStarts: frame.framed(batch.planned),
                                         knownNegatives: batch.refused.map(frame.framed), rng: &rng)
        network.assignParameters(from: contrastive.network)
        return OnlineLearningStatistics(loss: stats.loss, energyGap: stats.sampledNegativeEnergy - stats.positiveEnergy)
    }

    func store(in bundle: inout TransitionModelBundle) {
        bundle.storeOptimizer(contrastive.optimizer, of: contrastive.network, as: "energy")
        if let replay = contrastive.replay { bundle.storeReplay(replay, as: "negatives") }
    }

    mutating func restore(from bundle: TransitionModelBundle, steps: Int) throws {
        try bundle.restoreOptimizer(&contrastive.optimizer, of: contrastive.network, as: "energy")
        contrastive.replay = try bundle.restoredReplay("negatives", capacity: negativeReplayCapacity,
                                                       rowWidth: frame.conditionalMask.count)
    }
}
