import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

/// Four environments and short replays keep a run within seconds and wrap the FIFOs.
private func onlineSettings() -> OnlineTrainingSettings {
    var s = OnlineTrainingSettings()
    s.environments = 4
    s.positiveBatch = 16
    s.positiveReplayCapacity = 50
    s.negativeReplayCapacity = 20
    s.samplerSteps = 2
    return s
}

@Suite("Online training")
struct OnlineTrainingTests {
    // Environments plan on parallel threads, yet every draw comes from per-round, per-environment
    // streams: two runs with one seed end with identical bytes, whatever the thread timing.
    @Test(arguments: OnlineMethod.allCases)
    func sameSeedGivesTheSameModels(method: OnlineMethod) throws {
        func trained() throws -> TransitionModelBundle {
            var trainer = try OnlineTrainer(environment: Particle(), method: method, settings: onlineSettings(), seed: 3)
            try trainer.train(untilSteps: 40)
            #expect(trainer.environmentSteps == 40)
            return trainer.bundle()
        }
        let a = try trained(), b = try trained()
        let network = method == .ebm ? \TransitionModelBundle.energy : \TransitionModelBundle.forwardDynamics
        #expect(a[keyPath: network].parameters.map(\.value) == b[keyPath: network].parameters.map(\.value))
        #expect(a.trainingState == b.trainingState)
        #expect(a.info == b.info)
        // Something was learnt: the trained network left its initial values.
        let fresh = TransitionModelBundle(configuration: .standard(for: .particle), seed: 3)
        #expect(a[keyPath: network].parameters.map(\.value) != fresh[keyPath: network].parameters.map(\.value))
    }

    // A checkpoint restores the models, both optimisers' moments, both wrapped replay buffers,
    // the adapted effort and the counters: the resumed trainer's own checkpoint is the saved one.
    @Test func checkpointRoundTripsTheTrainingState() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("online.safetensors")
        var trainer = try OnlineTrainer(environment: Particle(), method: .ebm, settings: onlineSettings(), seed: 5)
        try trainer.train(untilSteps: 100, checkpoint: url, checkpointEvery: 10)
        let saved = trainer.bundle()
        #expect(saved.trainingState["positives"]?.rows == 50 && saved.trainingState["negatives"]?.rows == 20)
        var resumed = try OnlineTrainer(resuming: try TransitionModelBundle.load(from: url, environment: .particle),
                                        environment: Particle(), settings: onlineSettings())
        #expect(resumed.rounds == trainer.rounds && resumed.planIterations == trainer.planIterations)
        let again = resumed.bundle()
        #expect(again.trainingState == saved.trainingState)
        #expect(again.info == saved.info)
        // The energy's feasible level, measured every 10 rounds, is part of the saved state.
        #expect(saved.feasibleEnergy != nil && again.feasibleEnergy == saved.feasibleEnergy)
        #expect(again.energy.parameters.map(\.value) == saved.energy.parameters.map(\.value))
        try resumed.train(untilSteps: 120)
        #expect(resumed.environmentSteps == 120)
    }

    @Test func environmentsWithoutAnAnalyticInverseAreRefused() {
        #expect(throws: TransitionModelError.self) {
            try OnlineTrainer(environment: Reacher(), method: .ebm, seed: 0)
        }
        var bad = OnlineTrainingSettings()
        bad.environments = 0
        #expect(throws: TransitionModelError.self) {
            try OnlineTrainer(environment: Particle(), method: .ff, settings: bad, seed: 0)
        }
    }
}
