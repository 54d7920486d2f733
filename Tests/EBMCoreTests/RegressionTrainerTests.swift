import EBMCore
import Testing

@Suite("Regression trainer")
struct RegressionTrainerTests {
    // y = A·x + b with a fixed A, b: a linear network must fit it to (near) zero loss, and the
    // loss is computed independently here rather than trusted from the trainer.
    @Test func fitsAKnownLinearMap() throws {
        let a: [[Float]] = [[0.5, -1, 2], [1.5, 0.25, -0.75]]
        let b: [Float] = [0.3, -0.2]
        var rng = RNG(seed: 3)
        let n = 512
        let x = Tensor(shape: [n, 3], scalars: (0..<(3 * n)).map { _ in rng.uniform(-1, 1) })
        var t = [Float]()
        for r in 0..<n {
            let row = x.row(r)
            for k in 0..<2 { t.append(zip(a[k], row).map(*).reduce(b[k], +)) }
        }
        let targets = Tensor(shape: [n, 2], scalars: t)
        let network = Network(NetworkConfig(inputShape: [3], layers: [.linear(outputs: 2, spectralNorm: false)]), seed: 1)
        var trainer = RegressionTrainer(network: network, optimizer: Adam(learningRate: 1e-2, beta1: 0.9))
        let before = trainer.loss(inputs: x, targets: targets)
        let after = try trainer.fit(inputs: x, targets: targets, steps: 1500, batchSize: 64, rng: &rng)
        let y = network.forward(x).scalars
        let mse = zip(y, t).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(t.count)
        #expect(before > 0.3)
        #expect(mse < 1e-5, "mse \(mse)")
        #expect(abs(after - mse) < 1e-6)
        #expect(trainer.step == 1500)
    }

    @Test func outputWeightsScaleTheLoss() {
        let network = Network(NetworkConfig(inputShape: [1], layers: [.linear(outputs: 2, spectralNorm: false)]), seed: 2)
        let x = Tensor(shape: [4, 1], scalars: [0, 1, 2, 3])
        let y = network.forward(x).scalars
        let targets = Tensor(shape: [4, 2], scalars: y.enumerated().map { $0.offset % 2 == 0 ? $0.element + 1 : $0.element + 2 })
        // Residuals are 1 on output 0 and 2 on output 1 in every row.
        #expect(abs(RegressionTrainer(network: network).loss(inputs: x, targets: targets) - 2.5) < 1e-5)
        #expect(abs(RegressionTrainer(network: network, outputWeights: [3, 0.5]).loss(inputs: x, targets: targets) - 5) < 1e-5)
    }

    @Test func nonFiniteTargetsStopWithoutChangingTheNetwork() {
        let network = Network(NetworkConfig(inputShape: [1], layers: [.linear(outputs: 1, spectralNorm: false)]), seed: 2)
        let before = network.parameters.map(\.value)
        var trainer = RegressionTrainer(network: network)
        #expect(throws: TrainingDiverged.self) {
            try trainer.step(inputs: Tensor(shape: [1, 1], scalars: [1]), targets: Tensor(shape: [1, 1], scalars: [.nan]))
        }
        #expect(network.parameters.map(\.value) == before)
        #expect(trainer.step == 0)
    }
}
