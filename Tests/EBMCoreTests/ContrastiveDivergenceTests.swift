import Foundation
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

    @Test func shardedChainsGiveTheUpdateOfOneBatch() throws {
        // Noise-free IGEBM steps draw no randomness that matters, so refining the chains in
        // three groups on three network copies must give the negatives, and hence the update,
        // of one batch — with every chain keeping its own label.
        var layers = [LayerSpec].mlpEnergy(hidden: [16])
        layers.insert(.conditionalGainBias, at: 1)
        let config = NetworkConfig(inputShape: [3], labelCount: 2, layers: layers)
        func train(shards: Int) throws -> [Float] {
            let net = Network(config, seed: 1)
            var trainer = ContrastiveDivergence(
                network: net, optimizer: Adam(learningRate: 1e-2),
                sampler: LangevinSampler(steps: 5, stepSize: .constant(0.1), mode: .igebm(noise: 0, gradientClip: nil, bounds: nil)),
                replay: nil, freshNegatives: { p, _ in Tensor(shape: p.shape, scalars: p.scalars.map { -$0 }) })
            trainer.chainShards = shards
            var rng = RNG(seed: 2)
            let x = Tensor(shape: [10, 3], scalars: (0..<30).map { _ in rng.uniform(-1, 1) })
            let labels = Tensor(shape: [10, 2], scalars: (0..<20).map { _ in rng.uniform(0, 1) })
            for _ in 0..<3 { try trainer.step(positives: x, labels: labels, rng: &rng) }
            return net.parameters.flatMap(\.value.scalars)
        }
        let one = try train(shards: 1), three = try train(shards: 3)
        let untrained = Network(config, seed: 1).parameters.flatMap(\.value.scalars)
        #expect(zip(one, untrained).map { abs($0 - $1) }.max()! > 1e-3, "the steps changed the network")
        #expect(zip(one, three).map { abs($0 - $1) }.max()! < 1e-5)
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

@Suite("Contrastive divergence with given negatives")
struct GivenNegativesTests {
    static func batch(_ rows: Int, around centre: Float, rng: inout RNG) -> Tensor {
        Tensor(shape: [rows, 2], scalars: (0..<(2 * rows)).map { _ in centre + 0.1 * rng.gaussian() })
    }

    static func trainer(_ net: Network, samplerSteps: Int) -> ContrastiveDivergence {
        ContrastiveDivergence(
            network: net, optimizer: Adam(learningRate: 1e-2),
            sampler: LangevinSampler(steps: samplerSteps, stepSize: .constant(0.01), mode: .proper(temperature: .constant(0.01))),
            replay: nil, freshNegatives: { p, _ in p })
    }

    @Test func unrefinedStartsAreTheNegativesAndCountsMayDiffer() throws {
        let net = Network(NetworkConfig(inputShape: [2], layers: .mlpEnergy(hidden: [16])), seed: 1)
        var trainer = Self.trainer(net, samplerSteps: 0)
        var rng = RNG(seed: 2)
        let positives = Self.batch(8, around: 0.5, rng: &rng), starts = Self.batch(5, around: -0.5, rng: &rng)
        let before = net.energies(of: starts)
        let stats = try trainer.step(positives: positives, negativeStarts: starts, rng: &rng)
        #expect(abs(stats.negativeEnergy - before.reduce(0, +) / 5) < 1e-5)
        #expect(net.energies(of: starts) != before, "the step changed the network")
    }

    // Known negatives (online: moves the world refused) join the planned ones in the loss;
    // the sampled negatives' own mean, which drives the planning effort, leaves them out.
    @Test func knownNegativesJoinTheLossButNotTheSampledMean() throws {
        let net = Network(NetworkConfig(inputShape: [2], layers: .mlpEnergy(hidden: [16])), seed: 1)
        var trainer = Self.trainer(net, samplerSteps: 0)
        var rng = RNG(seed: 2)
        let positives = Self.batch(8, around: 0.5, rng: &rng), starts = Self.batch(5, around: -0.5, rng: &rng)
        let known = Self.batch(3, around: 2, rng: &rng)
        let (eStarts, eKnown, ePositives) = (net.energies(of: starts), net.energies(of: known), net.energies(of: positives))
        let stats = try trainer.step(positives: positives, negativeStarts: starts, knownNegatives: known, rng: &rng)
        #expect(abs(stats.sampledNegativeEnergy - eStarts.reduce(0, +) / 5) < 1e-5)
        #expect(abs(stats.negativeEnergy - (eStarts + eKnown).reduce(0, +) / 8) < 1e-5)
        let (mPos, mNeg) = (ePositives.reduce(0, +) / 8, (eStarts + eKnown).reduce(0, +) / 8)
        let squares = (ePositives.map { $0 * $0 }.reduce(0, +) / 8) + ((eStarts + eKnown).map { $0 * $0 }.reduce(0, +) / 8)
        #expect(abs(stats.loss - (mPos - mNeg + squares)) < 1e-4)
    }

    // Three classes of 2-D points around distinct centres; the classification term must be
    // the softmax cross-entropy of the energies under each candidate, and must teach the label.
    @Test func labelClassificationIsTheSoftmaxCrossEntropyAndTeachesTheLabel() throws {
        var layers = [LayerSpec].mlpEnergy(hidden: [16])
        layers.insert(.conditionalGainBias, at: 1)
        let net = Network(NetworkConfig(inputShape: [2], labelCount: 3, layers: layers), seed: 1)
        var trainer = Self.trainer(net, samplerSteps: 0)
        let candidates = Tensor(shape: [3, 3], scalars: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        trainer.labelClassification = .init(weight: 2, candidates: candidates)
        let centres: [(Float, Float)] = [(-1, 0), (1, 0), (0, 1.5)]
        func draw(_ rows: Int, rng: inout RNG) -> (x: Tensor, labels: Tensor, classes: [Int]) {
            let classes = (0..<rows).map { _ in rng.index(below: 3) }
            let x = classes.flatMap { [centres[$0].0 + 0.3 * rng.gaussian(), centres[$0].1 + 0.3 * rng.gaussian()] }
            return (Tensor(shape: [rows, 2], scalars: x), candidates.gatherRows(classes), classes)
        }
        func energies(_ x: Tensor) -> [[Float]] {
            (0..<3).map { c in net.conditioned(on: candidates.gatherRows(Array(repeating: c, count: x.rows))).energies(of: x) }
        }
        var rng = RNG(seed: 3)
        let first = draw(16, rng: &rng)
        let before = energies(first.x)
        let expected = (0..<16).map { i -> Float in
            let z = (0..<3).map { exp(-Double(before[$0][i])) }.reduce(0, +)
            return Float(Double(before[first.classes[i]][i]) + log(z))
        }.reduce(0, +) / 16
        let stats = try trainer.step(positives: first.x, labels: first.labels, rng: &rng)
        #expect(abs(stats.labelCrossEntropy! - expected) < 1e-4)
        let own = (0..<16).map { before[first.classes[$0]][$0] }
        let cd = own.reduce(0, +) / 16 - own.reduce(0, +) / 16 + 2 * own.map { $0 * $0 }.reduce(0, +) / 16
        #expect(abs(stats.loss - (cd + 2 * expected)) < 1e-4, "CD with the positives as negatives, plus γ·CE")

        for _ in 0..<300 {
            let batch = draw(32, rng: &rng)
            try trainer.step(positives: batch.x, labels: batch.labels, rng: &rng)
        }
        let test = draw(200, rng: &rng)
        let after = energies(test.x)
        let hits = (0..<200).filter { i in (0..<3).min { after[$0][i] < after[$1][i] }! == test.classes[i] }.count
        #expect(hits > 180, "argmin-energy accuracy \(hits)/200")
    }

    @Test func observedTransitionsEndUpBelowPlannedOnes() throws {
        // Trained both ways round from the same initial network: an untrained bias can favour
        // one direction, never both.
        func trainedGap(positive: Float, negative: Float) throws -> Float {
            let net = Network(NetworkConfig(inputShape: [2], layers: .mlpEnergy(hidden: [16])), seed: 3)
            var trainer = Self.trainer(net, samplerSteps: 0)
            var rng = RNG(seed: 4)
            for _ in 0..<100 {
                try trainer.step(positives: Self.batch(16, around: positive, rng: &rng),
                                 negativeStarts: Self.batch(12, around: negative, rng: &rng), rng: &rng)
            }
            var probe = RNG(seed: 9)
            let p = net.energies(of: Self.batch(64, around: positive, rng: &probe)).reduce(0, +) / 64
            let n = net.energies(of: Self.batch(64, around: negative, rng: &probe)).reduce(0, +) / 64
            return n - p
        }
        let forward = try trainedGap(positive: 0.5, negative: -0.5), backward = try trainedGap(positive: -0.5, negative: 0.5)
        #expect(forward > 0.3 && backward > 0.3, "E⁻ − E⁺: \(forward), reversed roles \(backward)")
    }
}
