import EBMCore

/// The feed-forward baseline's learning: one MSE step of s_t+1 − s_t = f(s_t, a_t) on the
/// round's observed transitions (fresh and replayed), weighted per coordinate as offline.
struct DynamicsLearner: OnlineLearner {
    private var regression: RegressionTrainer
    var network: Network { regression.network }

    init(forward: Network, configuration: TransitionModelConfiguration, settings: OnlineTrainingSettings) {
        regression = RegressionTrainer(network: forward,
                                       optimizer: Adam(learningRate: settings.regressionLearningRate, beta1: 0.9, beta2: 0.999),
                                       outputWeights: TransitionModelEvaluation.forwardWeights(configuration))
    }

    mutating func learn(_ batch: OnlineBatch, rng: inout RNG) throws -> OnlineLearningStatistics {
        let (inputs, targets) = TransitionModelEvaluation.forwardExamples(pairs: batch.positives, actions: batch.actions)
        return OnlineLearningStatistics(loss: try regression.step(inputs: inputs, targets: targets), energyGap: nil)
    }

    func store(in bundle: inout TransitionModelBundle) {
        bundle.storeOptimizer(regression.optimizer, of: network, as: "forward")
    }

    mutating func restore(from bundle: TransitionModelBundle, steps: Int) throws {
        try bundle.restoreOptimizer(&regression.optimizer, of: network, as: "forward")
        regression.resume(atStep: steps)
    }
}
