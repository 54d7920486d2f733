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
        let network = method.learnsEnergy ? \TransitionModelBundle.energy : \TransitionModelBundle.forwardDynamics
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
        #expect(resumed.observedReach != nil && resumed.observedReach == trainer.observedReach)
        #expect(resumed.preset.stepReach == trainer.preset.stepReach)
        let again = resumed.bundle()
        #expect(again.trainingState == saved.trainingState)
        #expect(again.info == saved.info)
        // The energy's feasible level, measured every 10 rounds, is part of the saved state.
        #expect(saved.feasibleEnergy != nil && again.feasibleEnergy == saved.feasibleEnergy)
        #expect(again.energy.parameters.map(\.value) == saved.energy.parameters.map(\.value))
        try resumed.train(untilSteps: 120)
        #expect(resumed.environmentSteps == 120)
    }

    // The Langevin planner's step limit is learnt, not given: none before the first step, then
    // the longest step taken, which the particle's actuator caps at 0.05 per coordinate (SPEC §4)
    // and the first plans, all pulling at goals far away, reach. CEM plans within the action
    // bounds and learns no reach.
    @Test func learnsTheReachOfItsSteps() throws {
        var ebm = try OnlineTrainer(environment: Particle(), method: .ebm, settings: onlineSettings(), seed: 4)
        #expect(ebm.observedReach == nil && ebm.preset.stepReach == nil && ebm.preset.stepLimitWeight > 0)
        try ebm.train(untilSteps: 20)
        let reach = try #require(ebm.observedReach)
        #expect(abs(reach - 0.05) < 1e-5 && ebm.preset.stepReach == reach)
        var ff = try OnlineTrainer(environment: Particle(), method: .ff, settings: onlineSettings(), seed: 4)
        try ff.train(untilSteps: 20)
        #expect(ff.observedReach == nil)
    }

    // Every move the maze refused is kept with what happened instead, checked against the
    // simulator: the commanded step from s_t is blocked by a wall or ends past the border, and
    // the world went to the observed state. The buffer survives a checkpoint like the others.
    @Test func mazeKeepsTheMovesItsWallsRefused() throws {
        var settings = OnlineTrainingSettings.standard(for: .maze)
        settings.environments = 4
        settings.positiveBatch = 16
        settings.negativeReplayCapacity = 20
        var trainer = try OnlineTrainer(environment: Maze(), method: .ebm, settings: settings, seed: 2)
        try trainer.train(untilSteps: 160)
        let saved = trainer.bundle()
        let refused = try #require(saved.trainingState["refused"])
        #expect(refused.rows > 0 && refused.rowWidth == 6)
        let maze = Maze()
        for r in 0..<refused.rows {
            let row = refused.row(r).map(Double.init)
            let state = SIMD2(row[0], row[1]), observed = SIMD2(row[2], row[3]), commanded = SIMD2(row[4], row[5])
            let moved = maze.transition(from: state, action: (commanded - state) * 20)
            let pastBorder = abs(commanded.x) > 1 || abs(commanded.y) > 1
            #expect((moved.blocked || pastBorder) && abs(moved.next.x - observed.x) < 1e-5 && abs(moved.next.y - observed.y) < 1e-5)
        }
        let resumed = try OnlineTrainer(resuming: saved, environment: Maze(), settings: settings)
        #expect(resumed.bundle().trainingState == saved.trainingState)
    }

    // The CI-sized maze run (the full one is `ebm-plan experiment online --env maze`): from
    // scratch, 2400 steps of the maze's settings teach the walls. Judged on random rollouts
    // the loop never saw: the energy prices most moves the walls refused above what the world
    // did instead. An untrained energy ranks these pairs at chance.
    @Test func mazeLearnsItsWallsOnline() throws {
        let data = try TransitionData(EnvironmentKind.maze.randomRollouts(episodes: 40, seed: 77))
        let refused = data.refusedMoves()
        var outcomes: [Float] = []
        for r in 0..<data.count {
            let pair = data.pairs.row(r)
            if EnvironmentKind.maze.refusedMove(from: Array(pair[0..<2]), to: Array(pair[2...]), action: data.actions.row(r)) != nil {
                outcomes += pair
            }
        }
        let observed = Tensor(shape: [outcomes.count / 4, 4], scalars: outcomes)
        #expect(refused.rows == observed.rows && refused.rows > 100)
        func ranked(_ energy: Network) -> Double {
            let (bad, good) = (energy.energies(of: refused), energy.energies(of: observed))
            return Double(zip(bad, good).filter { $0 > $1 }.count) / Double(bad.count)
        }
        var trainer = try OnlineTrainer(environment: Maze(), method: .ebm, settings: .standard(for: .maze), seed: 0)
        let before = ranked(try #require(trainer.agentModels.energy))
        try trainer.train(untilSteps: 2400)
        let after = ranked(try #require(trainer.agentModels.energy))
        #expect(after > 0.9 && after > before, "refused above observed: \(before) → \(after)")
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
