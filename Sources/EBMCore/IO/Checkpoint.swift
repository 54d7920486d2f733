import Foundation

/// A saved network: every named parameter (weights and buffers such as spectral-norm `u`),
/// optional extra tensors (optimiser state, …) and string metadata, in one safetensors file.
///
/// The metadata always holds `"format": "ebm-checkpoint-1"` and `"config"`, the
/// `NetworkConfig` as JSON with sorted keys, next to the caller's pairs (`"kind"`, `"env"`,
/// the training step, …). Extras are stored as `extra.<name>`. Loading rebuilds the network
/// from the stored config and restores every parameter, or throws: a missing, misshapen,
/// non-finite or unknown tensor, a foreign config or kind is never a partial restore.
public struct Checkpoint {
    /// The value of the `format` metadata key.
    public static let formatName = "ebm-checkpoint-1"
    /// Prefix that marks extra tensors in the file.
    public static let extraPrefix = "extra."

    /// The network, with its parameter values.
    public var network: Network
    /// Extra tensors by name (without `extraPrefix`).
    public var extras: [String: Tensor]
    /// Metadata pairs. Saving overwrites `format` and `config` with the true values; a loaded
    /// checkpoint has every pair in the file.
    public var metadata: [String: String]

    public init(network: Network, extras: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.network = network
        self.extras = extras
        self.metadata = metadata
    }

    /// The `kind` metadata value (what the network is for, e.g. `"transition-energy"`).
    public var kind: String? { metadata["kind"] }

    /// Writes the checkpoint atomically; on failure nothing is left behind. Refuses non-finite
    /// values, which `load` would reject.
    public func save(to url: URL) throws {
        func fail(_ problem: String) -> FileFormatError {
            FileFormatError(format: "checkpoint", file: url.lastPathComponent, problem: problem)
        }
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in network.namedParameters { tensors[name] = parameter.value }
        for (name, tensor) in extras { tensors[Self.extraPrefix + name] = tensor }
        if let bad = tensors.keys.sorted().first(where: { !tensors[$0]!.isFinite }) {
            throw fail("refusing to save: tensor \(bad) contains non-finite values")
        }
        var pairs = metadata
        pairs["format"] = Self.formatName
        // Stored from the network itself so that a stale "config" pair can never describe
        // other weights.
        do { pairs["config"] = try Self.configJSON(network.config) } catch {
            throw fail("config cannot be encoded as JSON (\(error))")
        }
        do { try SafetensorsFile(tensors: tensors, metadata: pairs).write(to: url) } catch let error as FileFormatError {
            throw fail(error.problem)
        }
    }

    /// Reads the checkpoint at `url` and rebuilds its network.
    ///
    /// - Parameters:
    ///   - config: when given, the stored config must equal it.
    ///   - kind: when given, the stored `kind` must equal it.
    public static func load(from url: URL, expecting config: NetworkConfig? = nil, kind: String? = nil) throws -> Checkpoint {
        func fail(_ problem: String) -> FileFormatError {
            FileFormatError(format: "checkpoint", file: url.lastPathComponent, problem: problem)
        }
        let file: SafetensorsFile
        do { file = try SafetensorsFile(contentsOf: url) } catch let error as FileFormatError { throw fail(error.problem) }

        let metadata = file.metadata
        guard metadata["format"] == formatName else {
            throw fail("is not an EBM checkpoint (metadata format is \(metadata["format"].map { "\"\($0)\"" } ?? "missing"), expected \"\(formatName)\")")
        }
        if let kind, metadata["kind"] != kind {
            throw fail(metadata["kind"].map { "is a \"\($0)\" checkpoint, expected \"\(kind)\"" } ?? "has no kind, expected \"\(kind)\"")
        }
        guard let json = metadata["config"] else { throw fail("has no config in its metadata") }
        let stored: NetworkConfig
        do { stored = try JSONDecoder().decode(NetworkConfig.self, from: Data(json.utf8)) } catch {
            throw fail("config in its metadata is not a valid network config")
        }
        // A corrupted config must not reach the network builder, whose preconditions would crash.
        do { try stored.validate() } catch { throw fail("config cannot be built: \(error)") }
        if let config, config != stored {
            throw fail("config differs from the expected one: \(difference(stored, config))")
        }

        let network = Network(stored, seed: 0)
        var unclaimed = Set(file.tensors.keys)
        var values: [(Parameter, Tensor)] = []
        for (name, parameter) in network.namedParameters {
            guard let tensor = file.tensors[name] else { throw fail("tensor \(name) is missing") }
            guard tensor.shape == parameter.value.shape else {
                throw fail("tensor \(name) has shape \(tensor.shape), the config needs \(parameter.value.shape)")
            }
            guard tensor.isFinite else { throw fail("tensor \(name) contains non-finite values") }
            values.append((parameter, tensor))
            unclaimed.remove(name)
        }
        var extras: [String: Tensor] = [:]
        for name in unclaimed.sorted() {
            guard name.hasPrefix(extraPrefix) else { throw fail("tensor \(name) is not a parameter of the config") }
            guard file.tensors[name]!.isFinite else { throw fail("tensor \(name) contains non-finite values") }
            extras[String(name.dropFirst(extraPrefix.count))] = file.tensors[name]!
        }
        // Only now that every check passed does the network take the values.
        for (parameter, tensor) in values { parameter.value = tensor }
        network.parametersDidChange()
        return Checkpoint(network: network, extras: extras, metadata: metadata)
    }

    /// The config as stored in the metadata: JSON with sorted keys, so equal configs give equal
    /// bytes.
    public static func configJSON(_ config: NetworkConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(config), as: UTF8.self)
    }

    // The first difference between two configs, for the error message.
    private static func difference(_ found: NetworkConfig, _ expected: NetworkConfig) -> String {
        if found.inputShape != expected.inputShape {
            return "input shape \(found.inputShape), expected \(expected.inputShape)"
        }
        if found.labelCount != expected.labelCount {
            return "label count \(found.labelCount), expected \(expected.labelCount)"
        }
        if let i = zip(found.layers, expected.layers).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            return "layer \(i) is \(found.layers[i]), expected \(expected.layers[i])"
        }
        return "\(found.layers.count) layers, expected \(expected.layers.count)"
    }
}
