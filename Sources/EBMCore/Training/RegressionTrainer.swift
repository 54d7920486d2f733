/// Supervised training of a `Network` by mean squared error: inverse dynamics, feed-forward
/// dynamics and any other regressor built from the core's layers.
///
/// The loss of a batch is L = (1/B)·Σ_rows Σ_k w_k·(y_k − t_k)², with per-output weights w
/// (default 1/K, the plain mean). Weights let targets of very different units — a position
/// step of 0.05 next to a velocity step of 4 — count in comparable units without rescaling
/// the network's outputs. As in the CD trainer, nothing is updated when the loss or a
/// gradient is not finite; the step throws `TrainingDiverged` instead.
public struct RegressionTrainer {
    public let network: Network
    public var optimizer: Adam
    /// w_k per output; nil weights every output 1/K.
    public let outputWeights: [Float]?
    /// Steps completed.
    public private(set) var step = 0

    /// - Parameters:
    ///   - optimizer: defaults to Adam(1e-3) with β1 = 0.9 — regression has no sampling noise
    ///     to be robust to, so the usual momentum helps.
    ///   - outputWeights: one weight per network output (see the type's documentation).
    public init(network: Network, optimizer: Adam = Adam(learningRate: 1e-3, beta1: 0.9), outputWeights: [Float]? = nil) {
        if let outputWeights {
            precondition(outputWeights.count == network.outputShape.reduce(1, *),
                         "\(outputWeights.count) output weights for a network with \(network.outputShape.reduce(1, *)) outputs")
        }
        self.network = network
        self.optimizer = optimizer
        self.outputWeights = outputWeights
    }

    /// Steps already taken, when continuing from a checkpoint (the optimiser's own count is
    /// restored with its moments).
    public mutating func resume(atStep step: Int) { self.step = step }

    /// The weighted squared error of the network on `inputs` against `targets`, without
    /// changing anything.
    public func loss(inputs: Tensor, targets: Tensor) -> Float {
        let y = network.forward(inputs)
        return weightedError(y.scalars, targets).loss
    }

    /// One optimiser step on a batch; returns the batch's loss before the update.
    @discardableResult
    public mutating func step(inputs: Tensor, targets: Tensor) throws -> Float {
        let failingStep = step + 1
        network.beginTrainingStep()
        let y = network.forward(inputs)
        precondition(y.count == targets.count, "targets \(targets.shape) do not match the network's outputs \(y.shape)")
        let (loss, gradient) = weightedError(y.scalars, targets)
        guard loss.isFinite else { throw TrainingDiverged(step: failingStep, quantity: "the regression loss") }
        try optimizer.update(network, outputGradient: Tensor(shape: y.shape, scalars: gradient), trainingStep: failingStep)
        step = failingStep
        return loss
    }

    /// `steps` optimiser steps on minibatches of `batchSize` rows drawn uniformly (with
    /// replacement) from `inputs`/`targets`; returns the loss on the whole set afterwards.
    public mutating func fit(inputs: Tensor, targets: Tensor, steps: Int, batchSize: Int, rng: inout RNG) throws -> Float {
        precondition(inputs.rows == targets.rows && inputs.rows > 0, "fit needs as many target rows as input rows")
        for _ in 0..<steps {
            let rows = (0..<batchSize).map { _ in rng.index(below: inputs.rows) }
            try step(inputs: inputs.gatherRows(rows), targets: targets.gatherRows(rows))
        }
        return loss(inputs: inputs, targets: targets)
    }

    // The loss and ∂L/∂y for outputs `y` (row-major, K per row) against `targets`.
    private func weightedError(_ y: [Float], _ targets: Tensor) -> (loss: Float, gradient: [Float]) {
        let k = network.outputShape.reduce(1, *)
        let rows = y.count / k
        let weights = outputWeights ?? [Float](repeating: 1 / Float(k), count: k)
        let inv = 1 / Float(max(rows, 1))
        var loss: Float = 0
        var gradient = [Float](repeating: 0, count: y.count)
        for i in y.indices {
            let r = y[i] - targets.scalars[i]
            let w = weights[i % k]
            loss += w * r * r
            gradient[i] = 2 * w * r * inv
        }
        return (loss * inv, gradient)
    }
}
