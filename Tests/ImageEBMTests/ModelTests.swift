import EBMCore
import Foundation
import ImageEBM
import Testing

@Suite("Image energy model")
struct ModelTests {
    static let spec = ImageModelSpec(data: ShapeDataset(size: 16, rotationLevels: 8, positionLevels: 5),
                                     condition: .position, channels: [4, 8], downsample: [true, true], denseWidth: 16)

    @Test func specBuildsTheIGEBMLayers() {
        let layers = Self.spec.networkConfig.layers
        #expect(layers.filter { if case .conditionalGainBias = $0 { return true } else { return false } }.count == 3)
        #expect(layers.filter { if case .avgPool2x2 = $0 { return true } else { return false } }.count == 2)
        #expect(layers.last == .linear(outputs: 1, spectralNorm: false))
        var sumPool = Self.spec
        sumPool.denseWidth = 0
        sumPool.downsampling = .stride
        #expect(sumPool.networkConfig.layers.suffix(2) == [.globalSumPool, .linear(outputs: 1, spectralNorm: false)])
        #expect(sumPool.networkConfig.layers.contains(.conv2d(outputChannels: 8, kernel: 3, stride: 2, spectralNorm: true)))
        var odd = Self.spec
        odd.downsample = [true, true, true, true, true]
        odd.channels = [1, 1, 1, 1, 1]
        #expect(odd.problem != nil)
    }

    @Test func checkpointRoundTripAndForeignFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("image-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var trainer = ImageTrainer(model: ImageEnergyModel(spec: Self.spec, seed: 1), options: Self.quickOptions, seed: 2)
        try trainer.step()
        let url = dir.appendingPathComponent("m.safetensors")
        try trainer.model.save(to: url, extras: trainer.state())
        let (loaded, checkpoint) = try ImageEnergyModel.load(from: url)
        #expect(loaded.spec == Self.spec && loaded.step == 1)
        #expect(loaded.network.parameters.map(\.value) == trainer.model.network.parameters.map(\.value))
        #expect(checkpoint.extras["adam.step"]?.scalars == [1])
        // The replay buffer travels with the checkpoint: a trainer built from it holds the chains.
        #expect(checkpoint.extras["replay.rows"]?.shape == [4, 256])
        let reloaded = ImageTrainer(model: loaded, options: Self.quickOptions, seed: 2, state: checkpoint.extras)
        #expect(reloaded.bufferCount == 4 && reloaded.state()["replay.rows"] == checkpoint.extras["replay.rows"])

        // A plain network checkpoint is not an image energy.
        let other = dir.appendingPathComponent("other.safetensors")
        try Checkpoint(network: Network(NetworkConfig(inputShape: [2], layers: .mlpEnergy(hidden: [4])), seed: 0),
                       metadata: ["kind": "transition-energy"]).save(to: other)
        #expect(throws: FileFormatError.self) { try ImageEnergyModel.load(from: other) }
        // Truncation is caught by the core's strict loader.
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: other)
        #expect(throws: FileFormatError.self) { try ImageEnergyModel.load(from: other) }
    }

    @Test func resumedTrainingContinuesTheStepCountAndOptimizer() throws {
        var trainer = ImageTrainer(model: ImageEnergyModel(spec: Self.spec, seed: 1), options: Self.quickOptions, seed: 2)
        try trainer.step()
        try trainer.step()
        let state = trainer.state()
        var resumed = ImageTrainer(model: trainer.model, options: Self.quickOptions, seed: 2, state: state)
        #expect(resumed.bufferCount == 8 && resumed.state()["replay.labels"] == state["replay.labels"])
        let statistics = try resumed.step()
        #expect(statistics.step == 3 && resumed.model.step == 3)
        #expect(statistics.replayed > 0, "the resumed chains continue from the saved buffer")
        #expect(resumed.state()["adam.step"]?.scalars == [3])
        #expect(resumed.state()["replay.seen"]?.scalars == [0, 12])

        // Another capacity cannot hold the saved FIFO as it was: the chains restart.
        var smaller = Self.quickOptions
        smaller.bufferCapacity = 6
        #expect(ImageTrainer(model: trainer.model, options: smaller, seed: 2, state: state).bufferCount == 0)
    }

    @Test func sameSeedSameModel() throws {
        func train() throws -> [Tensor] {
            var trainer = ImageTrainer(model: ImageEnergyModel(spec: Self.spec, seed: 4), options: Self.quickOptions, seed: 5)
            for _ in 0..<3 { try trainer.step() }
            return trainer.model.network.parameters.map(\.value)
        }
        #expect(try train() == train())
    }

    static var quickOptions: ImageTrainingOptions {
        var options = ImageTrainingOptions()
        options.batchSize = 4
        options.langevinSteps = 3
        return options
    }
}
