import EBMEnvironments
import Foundation

extension TransitionModelBundle {
    /// The model of `kind` shipped with the package (see `Planners/Models/README.md` for the
    /// command that reproduces each file). Loading checks it against the current default
    /// configuration, so a config change without retraining fails loudly.
    public static func embedded(for kind: EnvironmentKind) throws -> TransitionModelBundle {
        guard let url = Bundle.module.url(forResource: kind.rawValue, withExtension: "safetensors") else {
            throw TransitionModelError("the embedded \(kind.rawValue) model is missing from the package resources")
        }
        return try load(from: url, environment: kind, expecting: .standard(for: kind))
    }
}
