import EBMCore
import EBMEnvironments
import Foundation

/// An environment's learned models — transition energy, optional inverse dynamics, forward
/// dynamics — saved together as one safetensors checkpoint.
///
/// File layout (a `Checkpoint` of kind `"transition-model"`): the energy's parameters under
/// their plain names; the inverse and forward networks' parameters as extras
/// `inverse.<name>` and `forward.<name>` with their configs in the metadata
/// (`inverse_config`, `forward_config`, JSON); the environment in `env`; training state for
/// `--resume` (optimiser moments, replay buffer) as extras `train.<name>`. Loading is strict:
/// another environment, a missing or misshapen tensor, an unknown tensor or a config that is
/// not the expected one is one error, never a partial model.
public struct TransitionModelBundle {
    /// The checkpoint `kind`.
    public static let kind = "transition-model"

    public var configuration: TransitionModelConfiguration
    /// E(s_t, s_t+1) over rows [s_t, s_t+1] (`TransitionEnergyCost`).
    public var energy: Network
    /// a_t from rows [s_t, s_t+1] (`LearnedInverseDynamics`); nil where the inverse is analytic.
    public var inverseDynamics: Network?
    /// s_t+1 − s_t from rows [s_t, a_t] (`LearnedDynamics(network:predictsStep: true)`).
    public var forwardDynamics: Network
    /// Training state by name, kept only to resume training; empty for models that are only used.
    public var trainingState: [String: Tensor] = [:]
    /// Free-form metadata (training step, seed, data), saved and loaded unchanged.
    public var info: [String: String] = [:]

    public var environment: EnvironmentKind { configuration.environment }

    private static let reservedKeys: Set<String> = ["format", "config", "kind", "env", "action_reach", "inverse_config", "forward_config"]
    private static let inversePrefix = "inverse.", forwardPrefix = "forward.", trainingPrefix = "train."

    /// Freshly initialised networks for `configuration`.
    ///
    /// The forward model works on raw states and steps, so its first and last linear layers
    /// start scaled to the data's units (input i × the feature scale of coordinate i, output k ×
    /// 1/deltaScale_k): it begins at unit-range activations and step-sized outputs instead of
    /// spending its first thousand steps shrinking weights.
    public init(configuration: TransitionModelConfiguration, seed: UInt64) {
        self.configuration = configuration
        energy = Network(configuration.energy, seed: seed)
        inverseDynamics = configuration.inverseDynamics.map { Network($0, seed: seed &+ 1) }
        forwardDynamics = Network(configuration.forwardDynamics, seed: seed &+ 2)
        let linears = forwardDynamics.layers.compactMap { $0 as? Linear }
        let features = configuration.features
        if let first = linears.first, let last = linears.last, linears.count >= 2 {
            let inputScale = (0..<first.inputs).map { i in
                i < features.stateDimension && !features.angles.contains(i) ? features.scale[i] : 1
            }
            for i in first.weight.value.scalars.indices { first.weight.value.scalars[i] *= inputScale[i / first.outputs] }
            for i in last.weight.value.scalars.indices { last.weight.value.scalars[i] /= features.deltaScale[i % last.outputs] }
            for k in last.bias.value.scalars.indices { last.bias.value.scalars[k] /= features.deltaScale[k] }
            forwardDynamics.parametersDidChange()
        }
    }

    /// The models as an agent uses them.
    public var agentModels: AgentModels {
        AgentModels(energy: energy, inverseDynamics: inverseDynamics, forwardDynamics: forwardDynamics,
                    feasibleEnergy: feasibleEnergy)
    }

    /// The energy below which 90 % of the held-out observed transitions lie, measured when the
    /// model was saved by offline training (nil for models saved without it).
    public var feasibleEnergy: Float? {
        get { info["feasible_energy"].flatMap(Float.init) }
        set { info["feasible_energy"] = newValue.map { "\($0)" } }
    }

    /// The 90th percentile of `energy` over the transitions `pairs` (rows [s_t, s_t+1]): the
    /// level `feasibleEnergy` holds, where a planner that uses the energy as a constraint
    /// starts to pay (`TransitionEnergyCost.feasibleLevel`).
    static func feasibleLevel(of energy: Network, on pairs: Tensor) -> Float {
        let sorted = energy.energies(of: pairs).sorted()
        return sorted[min(sorted.count - 1, sorted.count * 90 / 100)]
    }

    /// Writes the bundle atomically; on failure nothing is left behind.
    public func save(to url: URL) throws {
        var extras: [String: Tensor] = [:]
        for (name, p) in inverseDynamics?.namedParameters ?? [] { extras[Self.inversePrefix + name] = p.value }
        for (name, p) in forwardDynamics.namedParameters { extras[Self.forwardPrefix + name] = p.value }
        for (name, t) in trainingState { extras[Self.trainingPrefix + name] = t }
        var metadata = info.filter { !Self.reservedKeys.contains($0.key) }
        metadata["kind"] = Self.kind
        metadata["env"] = environment.rawValue
        metadata["action_reach"] = configuration.actionReach.map { "\($0)" }.joined(separator: ",")
        metadata["forward_config"] = try Checkpoint.configJSON(forwardDynamics.config)
        if let inverseDynamics { metadata["inverse_config"] = try Checkpoint.configJSON(inverseDynamics.config) }
        try Checkpoint(network: energy, extras: extras, metadata: metadata).save(to: url)
    }

    /// Reads a bundle.
    ///
    /// - Parameters:
    ///   - environment: when given, the file must be a model of this environment.
    ///   - configuration: when given, every network's config must equal it (embedded models
    ///     against the current defaults).
    public static func load(from url: URL, environment: EnvironmentKind? = nil,
                            expecting configuration: TransitionModelConfiguration? = nil) throws -> TransitionModelBundle {
        let file = url.lastPathComponent
        func fail(_ problem: String) -> TransitionModelError { TransitionModelError("\(file) \(problem)") }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.load(from: url, kind: kind) } catch let error as FileFormatError {
            throw TransitionModelError(error.description)
        }
        let metadata = checkpoint.metadata
        guard let name = metadata["env"] else { throw fail("has no environment in its metadata") }
        guard let kind = EnvironmentKind(rawValue: name) else { throw fail("is a model for an unknown environment '\(name)'") }
        if let environment, environment != kind {
            throw fail("is a model for \(kind.rawValue), not \(environment.rawValue)")
        }
        let standard = TransitionModelConfiguration.standard(for: kind)
        let (d, a) = (standard.stateDimension, standard.actionDimension)

        let energy = checkpoint.network
        guard case let .transitionFeatures(features)? = energy.config.layers.first, features.stateDimension == d,
              energy.config.inputShape == [2 * d], energy.outputShape == [1] else {
            throw fail("has an energy that does not map \(kind.rawValue) transitions [s_t, s_t+1] to one value")
        }
        guard let reachText = metadata["action_reach"],
              case let reach = reachText.split(separator: ",").compactMap({ Float($0) }),
              reach.count == d, reach.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw fail("has no valid action_reach (\(d) positive numbers) in its metadata")
        }

        var extras = checkpoint.extras
        func network(_ prefix: String, key: String, inputs: Int, outputs: Int) throws -> Network? {
            guard let json = metadata[key] else { return nil }
            let config: NetworkConfig
            do { config = try JSONDecoder().decode(NetworkConfig.self, from: Data(json.utf8)) } catch {
                throw fail("has an invalid \(key)")
            }
            do { try config.validate() } catch { throw fail("has an \(key) that cannot be built: \(error)") }
            let net = Network(config, seed: 0)
            guard config.inputShape.reduce(1, *) == inputs, net.outputShape.reduce(1, *) == outputs else {
                throw fail("has an \(key) with \(config.inputShape.reduce(1, *)) inputs and \(net.outputShape) outputs, expected \(inputs) and \(outputs)")
            }
            for (name, p) in net.namedParameters {
                guard let t = extras.removeValue(forKey: prefix + name) else { throw fail("is missing tensor \(prefix + name)") }
                guard t.shape == p.value.shape else {
                    throw fail("has tensor \(prefix + name) of shape \(t.shape), the config needs \(p.value.shape)")
                }
                p.value = t
            }
            net.parametersDidChange()
            return net
        }
        let inverse = try network(inversePrefix, key: "inverse_config", inputs: 2 * d, outputs: a)
        guard let forward = try network(forwardPrefix, key: "forward_config", inputs: d + a, outputs: d) else {
            throw fail("has no forward_config in its metadata")
        }
        var trainingState: [String: Tensor] = [:]
        for (name, t) in extras {
            guard name.hasPrefix(trainingPrefix) else { throw fail("has an unknown tensor extra.\(name)") }
            trainingState[String(name.dropFirst(trainingPrefix.count))] = t
        }

        let loaded = TransitionModelConfiguration(environment: kind, features: features, actionReach: reach,
                                                  energy: energy.config, inverseDynamics: inverse?.config,
                                                  forwardDynamics: forward.config)
        if let configuration {
            for (what, found, expected) in [("energy", loaded.energy, configuration.energy),
                                            ("forward dynamics", loaded.forwardDynamics, configuration.forwardDynamics)]
            where found != expected {
                throw fail("has a \(what) config that differs from the expected one (\(found.layers.count) layers: \(found.layers))")
            }
            if loaded.inverseDynamics != configuration.inverseDynamics {
                throw fail("has an inverse dynamics config that differs from the expected one (\(loaded.inverseDynamics.map { "\($0.layers)" } ?? "none"))")
            }
            if loaded.actionReach != configuration.actionReach {
                throw fail("has action reach \(loaded.actionReach), expected \(configuration.actionReach)")
            }
        }
        var bundle = TransitionModelBundle(configuration: loaded, energy: energy, inverseDynamics: inverse, forwardDynamics: forward)
        bundle.trainingState = trainingState
        bundle.info = metadata.filter { !reservedKeys.contains($0.key) }
        return bundle
    }

    init(configuration: TransitionModelConfiguration, energy: Network, inverseDynamics: Network?, forwardDynamics: Network) {
        self.configuration = configuration
        self.energy = energy
        self.inverseDynamics = inverseDynamics
        self.forwardDynamics = forwardDynamics
    }
}
