import EBMCore
import Testing

@Suite("Contrastive divergence")
struct ContrastiveDivergenceTests {
    @Test func learnsTheEightGaussianRing() throws {
        var model = GaussianRingModel(seed: 0)
        var last: ContrastiveDivergenceStatistics?
        try model.train { last = $0 }
        var rng = RNG(seed: 1)
        let samples = model.sample(800, rng: &rng)
        let (perMode, outside) = model.ring.modeHistogram(samples)
        print("ring: per mode \(perMode), outside \(outside), last step \(String(describing: last))")
        // Every mode holds a fair share (an even split is 100 each) and most samples sit within
        // 3σ of a mode; uniform noise would put ≈ 670 of 800 near no mode.
        #expect(perMode.allSatisfy { $0 >= 40 }, "per-mode counts \(perMode)")
        #expect(outside < 200, "\(outside) of 800 samples near no mode")
    }

    @Test func untrainedEnergyDoesNotCoverTheModes() {
        // The same check on an untrained network must fail, or the test above proves nothing.
        let model = GaussianRingModel(seed: 0)
        var rng = RNG(seed: 1)
        let (perMode, _) = model.ring.modeHistogram(model.sample(800, rng: &rng))
        #expect(!perMode.allSatisfy { $0 >= 40 }, "per-mode counts \(perMode)")
    }

    @Test func divergenceStopsWithoutTouchingTheParameters() throws {
        let net = Network(NetworkConfig(inputShape: [2], layers: .mlpEnergy(hidden: [16])), seed: 3)
        var trainer = ContrastiveDivergence(
            network: net, optimizer: Adam(learningRate: 1e-3),
            sampler: LangevinSampler(steps: 5, stepSize: .constant(0.01), mode: .proper(temperature: .constant(0.01))),
            replay: nil, freshNegatives: { p, rng in Tensor(shape: p.shape, scalars: p.scalars.map { $0 + 0.1 * rng.gaussian() }) })
        var rng = RNG(seed: 4)
        let good = Tensor(shape: [8, 2], scalars: (0..<16).map { _ in rng.uniform(-1, 1) })
        try trainer.step(positives: good, rng: &rng)
        let kept = net.parameters.map(\.value)
        var poisoned = good
        poisoned.scalars[3] = .infinity
        #expect(throws: TrainingDiverged.self) { try trainer.step(positives: poisoned, rng: &rng) }
        #expect(net.parameters.map(\.value) == kept)
        #expect(trainer.step == 1)
    }

    @Test func sameSeedSameTraining() throws {
        func run() throws -> [Tensor] {
            var model = GaussianRingModel(seed: 5)
            model.trainingSteps = 20
            try model.train()
            return model.network.parameters.map(\.value)
        }
        #expect(try run() == run())
    }
}
