import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

/// A particle configuration small enough for a test: the standard features, 2 × 64 energy,
/// and (to exercise every network of a bundle) a learned inverse model.
func smallParticleConfiguration() -> TransitionModelConfiguration {
    var c = TransitionModelConfiguration.standard(for: .particle)
    c.energy = NetworkConfig(inputShape: [4], layers: [.transitionFeatures(c.features)] + .mlpEnergy(hidden: [64, 64]))
    c.inverseDynamics = NetworkConfig(inputShape: [4], layers: [.transitionFeatures(c.features)] + .mlp(hidden: [32], outputs: 2))
    c.forwardDynamics = NetworkConfig(inputShape: [4], layers: .mlp(hidden: [32], outputs: 2))
    return c
}

func smallSettings() -> TransitionTrainingSettings {
    var s = TransitionTrainingSettings()
    s.batchSize = 128
    s.samplerSteps = 10
    // Small enough that the FIFO wraps within a short run, so resuming must restore its order.
    s.replayCapacity = 1000
    return s
}

func particleData(episodes: Int = 30, seed: UInt64 = 1) throws -> TransitionData {
    try TransitionData(EnvironmentKind.particle.randomRollouts(episodes: episodes, seed: seed))
}

func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ebm-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Transition training")
struct TransitionTrainingTests {
    // The quality bar: on held-out episodes, the true next state must have a lower energy than
    // the same state displaced by ‖δ‖∞ = 0.15 — three times the particle's reach, so every
    // displaced state is impossible — for at least 90 % of the pairs. Computed here from the
    // energies, independently of the library's own report.
    @Test func energyRanksTrueNextStatesBelowUnreachableOnes() throws {
        let data = try particleData()
        var trainer = try TransitionTrainer(configuration: smallParticleConfiguration(), data: data,
                                            settings: smallSettings(), seed: 0)
        func accuracy(_ energy: Network) -> Double {
            let held = trainer.heldOut
            var rng = RNG(seed: 42)
            var truth = [Float](), displaced = [Float]()
            for r in 0..<held.count {
                let row = held.pairs.row(r)
                let pinned = rng.index(below: 2)
                var next = Array(row[2...])
                for i in 0..<2 { next[i] += i == pinned ? (rng.uniform() < 0.5 ? -0.15 : 0.15) : rng.uniform(-0.15, 0.15) }
                truth += row
                displaced += Array(row[..<2]) + next
            }
            let n = held.count
            let e = energy.energies(of: Tensor(shape: [2 * n, 4], scalars: truth + displaced))
            return Double((0..<n).filter { e[$0] < e[n + $0] }.count) / Double(n)
        }
        try trainer.train(until: 300)
        let bundle = trainer.bundle()
        let trained = accuracy(bundle.energy)
        #expect(trainer.heldOut.count == 300)
        #expect(trained >= 0.9, "held-out ranking accuracy \(trained)")
        let report = trainer.report()
        #expect(report.rankingDisplacement == [0.15, 0.15])
        #expect(abs(Double(report.rankingAccuracy) - trained) < 0.05)
        // The forward model learnt the step far better than "no motion" would.
        #expect(report.forwardMSE < 0.2 * report.forwardMSEOfNoMotion, "forward \(report.forwardMSE) vs \(report.forwardMSEOfNoMotion)")
        #expect(report.inverseMSE.map { $0 < 0.1 } == true, "inverse \(String(describing: report.inverseMSE))")
    }

    // A run checkpointed at step 20 and resumed to 40 ends with exactly the parameters of an
    // uninterrupted 40-step run: per-step random streams, optimiser moments and the replay
    // buffer (wrapped, so its write position matters) all survive the checkpoint.
    @Test func refusedMovesAreExactlyTheMovesTheMazeDidNotMake() throws {
        let data = try TransitionData(EnvironmentKind.maze.randomRollouts(episodes: 20, seed: 3))
        let refused = data.refusedMoves()
        let maze = Maze()
        var expected = 0
        for r in 0..<data.count {
            let pair = data.pairs.row(r).map(Double.init), action = data.actions.row(r).map(Double.init)
            let (next, blocked) = maze.transition(from: SIMD2(pair[0], pair[1]), action: SIMD2(action[0], action[1]))
            let commanded = maze.commandedNextState(from: SIMD2(pair[0], pair[1]), action: SIMD2(action[0], action[1]))
            if blocked || abs(next.x - commanded.x) > 1e-5 || abs(next.y - commanded.y) > 1e-5 { expected += 1 }
        }
        #expect(refused.rows == expected && expected > 100, "\(refused.rows) refused rows, \(expected) expected")
        // Each row is a state and where its action pointed: a wall or past the border.
        for r in 0..<refused.rows {
            let row = refused.row(r).map(Double.init)
            let (s, target) = (SIMD2(row[0], row[1]), SIMD2(row[2], row[3]))
            let outside = abs(target.x) > 1 || abs(target.y) > 1
            let walled = maze.geometry.walls.contains { $0.intersects(segmentFrom: s, to: target) }
            #expect(outside || walled, "row \(r): \(s) → \(target)")
        }
        // The reacher's torques command no next state.
        #expect(try TransitionData(EnvironmentKind.reacher.randomRollouts(episodes: 2, seed: 3)).refusedMoves().rows == 0)
    }

    @Test func resumingContinuesExactlyFromTheSavedStep() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        let data = try particleData(episodes: 12)

        var straight = try TransitionTrainer(configuration: smallParticleConfiguration(), data: data, settings: smallSettings(), seed: 5)
        try straight.train(until: 40)

        var first = try TransitionTrainer(configuration: smallParticleConfiguration(), data: data, settings: smallSettings(), seed: 5)
        try first.train(until: 20, checkpoint: url, checkpointEvery: 10)
        let saved = try TransitionModelBundle.load(from: url, environment: .particle)
        #expect(saved.info["step"] == "20")
        var resumed = try TransitionTrainer(resuming: saved, data: data, settings: smallSettings())
        #expect(resumed.step == 20)
        try resumed.train(until: 40)

        let a = straight.bundle(), b = resumed.bundle()
        let networks: [(Network?, Network?)] = [(a.energy, b.energy), (a.inverseDynamics, b.inverseDynamics),
                                                 (a.forwardDynamics, b.forwardDynamics)]
        for (x, y) in networks {
            let (x, y) = (try #require(x), try #require(y))
            #expect(x.parameters.map(\.value) == y.parameters.map(\.value))
        }
        #expect(a.trainingState == b.trainingState)
        // Another seed is another run: the comparison above is not vacuous.
        var other = try TransitionTrainer(configuration: smallParticleConfiguration(), data: data, settings: smallSettings(), seed: 6)
        try other.train(until: 40)
        #expect(other.bundle().energy.parameters.map(\.value) != a.energy.parameters.map(\.value))
    }

    @Test func resumingOnOtherDataIsRefused() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        var trainer = try TransitionTrainer(configuration: smallParticleConfiguration(), data: particleData(episodes: 4),
                                            settings: smallSettings(), seed: 0)
        try trainer.train(until: 2, checkpoint: url)
        let saved = try TransitionModelBundle.load(from: url)
        #expect(throws: TransitionModelError.self) {
            _ = try TransitionTrainer(resuming: saved, data: particleData(episodes: 5), settings: smallSettings())
        }
    }

    // lr 1e6 blows the energy up within a few steps: training stops with TrainingDiverged at a
    // step after the checkpoint, and the checkpoint on disk is still the step-20 one, loadable.
    @Test func divergenceStopsAndKeepsTheLastCheckpoint() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        let data = try particleData(episodes: 6)
        var trainer = try TransitionTrainer(configuration: smallParticleConfiguration(), data: data, settings: smallSettings(), seed: 0)
        try trainer.train(until: 20, checkpoint: url, checkpointEvery: 10)

        var wild = smallSettings()
        wild.learningRate = 1e6
        var diverging = try TransitionTrainer(resuming: TransitionModelBundle.load(from: url), data: data, settings: wild)
        let error = #expect(throws: TrainingDiverged.self) {
            try diverging.train(until: 200, checkpoint: url, checkpointEvery: 1000)
        }
        #expect((error?.step ?? 0) > 20 && (error?.step ?? 0) <= 200)
        #expect(diverging.bundle().energy.parameters.allSatisfy { $0.value.isFinite })
        let kept = try TransitionModelBundle.load(from: url, environment: .particle)
        #expect(kept.info["step"] == "20")
        #expect(kept.energy.energies(of: data.pairs.rows(0..<10)).allSatisfy { $0.isFinite })
    }
}
