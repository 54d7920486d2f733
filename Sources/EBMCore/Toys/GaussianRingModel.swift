/// The core's end-to-end recipe on `GaussianRing`: an MLP energy trained by contrastive
/// divergence with persistent Langevin chains, then sampled by Langevin from uniform noise.
/// `ebm-plan toy` and the trainer's test both run it, so the demo is what is tested.
public struct GaussianRingModel {
    public var ring = GaussianRing()
    public var seed: UInt64
    public var trainingSteps = 2000
    public var batchSize = 128
    /// Box the fresh chains and the final samples start from.
    public var box: ClosedRange<Float> = -1.5...1.5
    /// Proper Langevin at T = 1 for negatives and samples, so the trained model's samples
    /// follow exp(−E) itself.
    public var sampler = LangevinSampler(steps: 60, stepSize: .constant(5e-4), mode: .proper(temperature: .constant(1)))
    /// α of the CD loss: at T = 1 the energy must span several nats between modes and gaps,
    /// which the default α = 1 would squeeze.
    public var regularization: Float = 0.1
    public var learningRate: Float = 3e-3
    public var network: Network

    public init(seed: UInt64) {
        self.seed = seed
        network = Network(NetworkConfig(inputShape: [2], layers: .mlpEnergy(hidden: [128, 128], activation: .swish)),
                          seed: seed)
    }

    /// Trains the energy; `progress` sees every step's statistics.
    public mutating func train(progress: (ContrastiveDivergenceStatistics) -> Void = { _ in }) throws {
        var rng = RNG(seed: seed, stream: 1)
        let box = self.box
        var trainer = ContrastiveDivergence(
            network: network, optimizer: Adam(learningRate: learningRate), sampler: sampler,
            replay: ReplayBuffer(capacity: 10_000, rowWidth: 2, policy: .fifo),
            freshNegatives: { positives, rng in
                Tensor(shape: positives.shape,
                       scalars: (0..<positives.count).map { _ in rng.uniform(box.lowerBound, box.upperBound) })
            })
        trainer.regularization = regularization
        for _ in 0..<trainingSteps {
            progress(try trainer.step(positives: ring.sample(batchSize, rng: &rng), rng: &rng))
        }
    }

    /// `count` Langevin samples from uniform noise in `box`.
    public func sample(_ count: Int, steps: Int = 1000, rng: inout RNG) -> Tensor {
        var x = Tensor(shape: [count, 2], scalars: (0..<(2 * count)).map { _ in rng.uniform(box.lowerBound, box.upperBound) })
        var long = sampler
        long.steps = steps
        long.run(&x, energy: network, rng: &rng)
        return x
    }
}
