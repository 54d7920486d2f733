import Foundation
import Testing
import EBMCore

@Suite("Checkpoint")
struct CheckpointTests {
    static let config = NetworkConfig(inputShape: [4], layers: .mlpEnergy(hidden: [16, 8], spectralNorm: true))
    static let wider = NetworkConfig(inputShape: [4], layers: .mlpEnergy(hidden: [32, 8], spectralNorm: true))

    static func saved(_ config: NetworkConfig = config, kind: String = "transition-energy",
                      extras: [String: Tensor] = [:], in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("model.safetensors")
        try Checkpoint(network: Network(config, seed: 7), extras: extras, metadata: ["kind": kind, "step": "120"]).save(to: url)
        return url
    }

    /// Rewrites the checkpoint at `url` through `edit` on its raw safetensors contents.
    static func tamper(_ url: URL, _ edit: (inout SafetensorsFile) -> Void) throws {
        var file = try SafetensorsFile(contentsOf: url)
        edit(&file)
        try file.write(to: url)
    }

    @Test func roundTripRestoresEveryParameterBitExactly() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        let network = Network(Self.config, seed: 7)
        network.beginTrainingStep()  // moves the spectral-norm buffer u away from its initial value
        let moment = IOTestSupport.ramp([4, 16])
        let url = directory.appendingPathComponent("model.safetensors")
        try Checkpoint(network: network, extras: ["adam.m.0": moment], metadata: ["kind": "energy", "env": "maze"]).save(to: url)

        let loaded = try Checkpoint.load(from: url, expecting: Self.config, kind: "energy")
        let names = network.namedParameters.map(\.name)
        #expect(names.contains("layers.0.u"))
        #expect(loaded.network.namedParameters.map(\.name) == names)
        for ((name, mine), (_, theirs)) in zip(network.namedParameters, loaded.network.namedParameters) {
            #expect(mine.value.scalars.map(\.bitPattern) == theirs.value.scalars.map(\.bitPattern), "\(name)")
        }
        let x = IOTestSupport.ramp([3, 4])
        #expect(loaded.network.forward(x) == network.forward(x))
        #expect(loaded.extras == ["adam.m.0": moment])
        #expect(loaded.kind == "energy")
        #expect(loaded.metadata["env"] == "maze")
        #expect(loaded.metadata["format"] == "ebm-checkpoint-1")
        #expect(loaded.metadata["config"] == (try Checkpoint.configJSON(Self.config)))
    }

    @Test func metadataHoldsFormatAndSortedConfig() throws {
        let url = try Self.saved(in: IOTestSupport.makeDirectory())
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata["format"] == "ebm-checkpoint-1")
        let json = try #require(file.metadata["config"])
        #expect(json.hasPrefix("{\"inputShape\":[4],\"labelCount\":0,\"layers\":["))
        #expect(try JSONDecoder().decode(NetworkConfig.self, from: Data(json.utf8)) == Self.config)
        #expect(Set(file.tensors.keys) == Set(Network(Self.config, seed: 0).namedParameters.map(\.name)))
    }

    @Test func sameNetworkGivesSameBytes() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        let first = try IOTestSupport.bytes(Self.saved(in: directory))
        let second = try IOTestSupport.bytes(Self.saved(in: directory))
        #expect(first == second)
    }

    static func loadError(_ url: URL, expecting config: NetworkConfig? = nil, kind: String? = nil) -> FileFormatError? {
        #expect(throws: FileFormatError.self) { try Checkpoint.load(from: url, expecting: config, kind: kind) }
    }

    @Test func wrongShapeIsNamed() throws {
        let url = try Self.saved(Self.wider, in: IOTestSupport.makeDirectory())
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        try Self.tamper(url) { $0.tensors["layers.0.weight"] = Tensor(zeros: [4, 16]) }
        #expect(Self.loadError(url)?.description
                == "checkpoint model.safetensors: tensor layers.0.weight has shape [4, 16], the config needs [4, 32]")
    }

    @Test func wrongConfigIsRefused() throws {
        let url = try Self.saved(in: IOTestSupport.makeDirectory())
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        let error = Self.loadError(url, expecting: Self.wider)
        #expect(error?.description == "checkpoint model.safetensors: config differs from the expected one: layer 0 is linear(outputs: 16, spectralNorm: true), expected linear(outputs: 32, spectralNorm: true)")
    }

    @Test func wrongKindIsRefused() throws {
        let url = try Self.saved(kind: "inverse-dynamics", in: IOTestSupport.makeDirectory())
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        #expect(Self.loadError(url, kind: "transition-energy")?.problem == "is a \"inverse-dynamics\" checkpoint, expected \"transition-energy\"")
        try Self.tamper(url) { $0.metadata["kind"] = nil }
        #expect(Self.loadError(url, kind: "transition-energy")?.problem == "has no kind, expected \"transition-energy\"")
    }

    @Test func missingUnknownAndNonFiniteTensorsAreRefused() throws {
        let url = try Self.saved(extras: ["adam.step": Tensor(shape: [1], scalars: [3])], in: IOTestSupport.makeDirectory())
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        try Self.tamper(url) { $0.tensors["layers.2.u"] = nil }
        #expect(Self.loadError(url)?.problem == "tensor layers.2.u is missing")

        _ = try Self.saved(in: url.deletingLastPathComponent())
        try Self.tamper(url) { $0.tensors["layers.9.weight"] = Tensor(zeros: [1]) }
        #expect(Self.loadError(url)?.problem == "tensor layers.9.weight is not a parameter of the config")

        _ = try Self.saved(in: url.deletingLastPathComponent())
        try Self.tamper(url) { $0.tensors["layers.0.bias"]!.scalars[3] = .nan }
        #expect(Self.loadError(url)?.problem == "tensor layers.0.bias contains non-finite values")
    }

    @Test func foreignOrCorruptedMetadataIsRefused() throws {
        let url = try Self.saved(in: IOTestSupport.makeDirectory())
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        try Self.tamper(url) { $0.metadata["config"] = "{\"inputShape\": [4]}" }
        #expect(Self.loadError(url)?.problem == "config in its metadata is not a valid network config")
        try Self.tamper(url) { $0.metadata["config"] = #"{"inputShape":[-4],"labelCount":0,"layers":[]}"# }
        #expect(Self.loadError(url)?.problem.contains("cannot be built") == true)
        try Self.tamper(url) { $0.metadata["config"] = #"{"inputShape":[4],"labelCount":0,"layers":[{"linear":{"outputs":-3,"spectralNorm":false}}]}"# }
        #expect(Self.loadError(url)?.problem.contains("linear layer with -3 outputs") == true)
        try Self.tamper(url) { $0.metadata["format"] = nil }
        #expect(Self.loadError(url)?.problem == "is not an EBM checkpoint (metadata format is missing, expected \"ebm-checkpoint-1\")")
    }

    @Test func truncatedAndCorruptedFilesAreRefused() throws {
        let url = try Self.saved(in: IOTestSupport.makeDirectory())
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        let bytes = try IOTestSupport.bytes(url)
        try Data(bytes.dropLast(7)).write(to: url)
        let truncated = Self.loadError(url)
        #expect(truncated?.description.hasPrefix("checkpoint model.safetensors: ") == true)
        #expect(truncated?.problem.contains("truncated") == true)

        var flipped = bytes
        for i in 8..<16 { flipped[i] ^= 0xFF }  // the header's first bytes: `{"__meta`
        try Data(flipped).write(to: url)
        #expect(Self.loadError(url)?.description == "checkpoint model.safetensors: header is not valid JSON")
    }

    @Test func failedSaveLeavesNothingBehindAndKeepsTheOldFile() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        let blocker = directory.appendingPathComponent("blocker")
        try Data().write(to: blocker)
        let checkpoint = Checkpoint(network: Network(Self.config, seed: 1))
        let error = #expect(throws: FileFormatError.self) {
            try checkpoint.save(to: blocker.appendingPathComponent("model.safetensors"))
        }
        #expect(error?.description.hasPrefix("checkpoint model.safetensors: cannot create a file in") == true)

        let url = try Self.saved(in: directory)
        let good = try IOTestSupport.bytes(url)
        let broken = Network(Self.config, seed: 1)
        broken.namedParameters[0].parameter.value.scalars[0] = .infinity
        let refused = #expect(throws: FileFormatError.self) { try Checkpoint(network: broken).save(to: url) }
        #expect(refused?.problem == "refusing to save: tensor layers.0.weight contains non-finite values")
        #expect(try IOTestSupport.bytes(url) == good)
        #expect(try IOTestSupport.listing(directory) == ["blocker", "model.safetensors"])
    }
}

@Suite("Network config validation")
struct NetworkConfigValidationTests {
    @Test func impossibleConfigsAreNamed() {
        let bad: [NetworkConfig] = [
            NetworkConfig(inputShape: [2], layers: [.linear(outputs: -3, spectralNorm: false)]),
            NetworkConfig(inputShape: [0], layers: .mlpEnergy(hidden: [4])),
            NetworkConfig(inputShape: [4], layers: [.conv2d(outputChannels: 4, kernel: 3, stride: 1, spectralNorm: false)]),
            NetworkConfig(inputShape: [1, 5, 5], layers: [.avgPool2x2]),
            NetworkConfig(inputShape: [1, 4, 4], layers: [.conditionalGainBias]),
            NetworkConfig(inputShape: [3], layers: [.transitionFeatures(TransitionFeatureSpec(stateDimension: 2, deltaScale: [1, 1]))]),
        ]
        for config in bad {
            #expect(throws: (any Error).self) { try config.validate() }
        }
        let good = NetworkConfig(inputShape: [4], layers: [.transitionFeatures(TransitionFeatureSpec(stateDimension: 2, deltaScale: [20, 20]))]
                                 + .mlpEnergy(hidden: [8]))
        #expect(throws: Never.self) { try good.validate() }
    }
}
