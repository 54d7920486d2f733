import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

@Suite("Transition model files and data")
struct TransitionModelBundleTests {
    @Test func savedBundleLoadsWithTheSameFunctions() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        var bundle = TransitionModelBundle(configuration: smallParticleConfiguration(), seed: 3)
        bundle.info["note"] = "kept"
        try bundle.save(to: url)
        let loaded = try TransitionModelBundle.load(from: url, environment: .particle, expecting: smallParticleConfiguration())
        let pairs = try particleData(episodes: 2).pairs.rows(0..<20)
        #expect(loaded.energy.energies(of: pairs) == bundle.energy.energies(of: pairs))
        #expect(loaded.inverseDynamics!.forward(pairs) == bundle.inverseDynamics!.forward(pairs))
        #expect(loaded.forwardDynamics.forward(pairs) == bundle.forwardDynamics.forward(pairs))
        #expect(loaded.info["note"] == "kept")
        #expect(loaded.configuration == smallParticleConfiguration())
    }

    @Test func aModelOfAnotherEnvironmentIsOneClearError() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try TransitionModelBundle(configuration: .standard(for: .maze), seed: 0).save(to: url)
        let error = #expect(throws: TransitionModelError.self) {
            _ = try TransitionModelBundle.load(from: url, environment: .particle)
        }
        #expect(error?.description == "model.safetensors is a model for maze, not particle")
    }

    @Test func configMismatchAndForeignFilesAreRefused() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try TransitionModelBundle(configuration: smallParticleConfiguration(), seed: 0).save(to: url)
        #expect(throws: TransitionModelError.self) {
            _ = try TransitionModelBundle.load(from: url, expecting: .standard(for: .particle))
        }
        // A plain network checkpoint, a bundle without its forward model, a truncated file.
        let energy = Network(TransitionModelConfiguration.standard(for: .particle).energy, seed: 0)
        let foreign = dir.appendingPathComponent("foreign.safetensors")
        try Checkpoint(network: energy, metadata: ["kind": "image-energy"]).save(to: foreign)
        let partial = dir.appendingPathComponent("partial.safetensors")
        try Checkpoint(network: energy, metadata: ["kind": "transition-model", "env": "particle", "action_reach": "0.05,0.05"]).save(to: partial)
        let truncated = dir.appendingPathComponent("truncated.safetensors")
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        for file in [foreign, partial, truncated] {
            #expect(throws: TransitionModelError.self, "\(file.lastPathComponent)") { _ = try TransitionModelBundle.load(from: file) }
        }
    }

    @Test func datasetsWithNaNOrWrongShapesAreRefused() throws {
        var dataset = try EnvironmentKind.particle.randomRollouts(episodes: 3, steps: 5, seed: 0)
        _ = try TransitionData(dataset)
        var poisoned = dataset
        poisoned.states[7] = .nan
        let error = #expect(throws: TransitionModelError.self) { _ = try TransitionData(poisoned) }
        #expect(error?.description.contains("NaN") == true)
        var huge = dataset
        huge.actions[2] = 1e300  // finite in float64, infinite in Float32
        #expect(throws: TransitionModelError.self) { _ = try TransitionData(huge) }
        var foreign = dataset
        foreign.environment = "pendulum"
        #expect(throws: TransitionModelError.self) { _ = try TransitionData(foreign) }
        dataset.stateDimension = 4
        #expect(throws: TransitionModelError.self) { _ = try TransitionData(dataset) }
        let single = try TransitionData(EnvironmentKind.particle.randomRollouts(episodes: 1, steps: 5, seed: 0))
        #expect(throws: TransitionModelError.self) { _ = try single.split() }
    }

    @Test func npzDatasetsRoundTripAndForeignArchivesAreRefused() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try EnvironmentKind.maze.randomRollouts(episodes: 3, steps: 6, seed: 2)
        let url = dir.appendingPathComponent("maze.npz")
        try NPZ.write(dataset.numpyArrays, to: url)
        let fromFile = try TransitionData(contentsOf: url)
        let inMemory = try TransitionData(dataset)
        #expect(fromFile.environment == .maze && fromFile.count == 18)
        #expect(fromFile.pairs == inMemory.pairs && fromFile.actions == inMemory.actions)
        #expect(fromFile.fingerprint == inMemory.fingerprint)
        let other = dir.appendingPathComponent("other.npz")
        try NPZ.write(["states": NumPyArray(shape: [1, 2, 2], float64: [0, 0, 0, 0])], to: other)
        #expect(throws: TransitionModelError.self) { _ = try TransitionData(contentsOf: other) }
    }
}
