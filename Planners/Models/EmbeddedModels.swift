import EBMEnvironments
import Foundation

extension TransitionModelBundle {
    /// The model of `kind` shipped with the package (see `Planners/Models/README.md`).
    public static func embedded(for kind: EnvironmentKind) throws -> TransitionModelBundle {
        throw TransitionModelError("the embedded \(kind.rawValue) model is not trained yet; pass --model FILE")
    }
}
