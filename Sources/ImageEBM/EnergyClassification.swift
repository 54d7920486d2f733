import Foundation
import EBMCore

/// Argmin-energy classification with a conditional model: each sprite gets the label on the
/// data grid of lowest energy, ŷ = argmin_y E(x, y), compared with its true label.
public struct EnergyClassification {
    public var count: Int

    public init(count: Int = 128) { self.count = count }

    /// Metrics `accuracy` (exact grid label), `chance` (1 / number of labels) and, for position
    /// models, `position_error_px` of the chosen label; panels: the sprites, then the renders
    /// of the chosen factors (the true factors with the predicted one substituted).
    public func run(_ model: ImageEnergyModel, rng: inout RNG) throws -> ImageTaskResult {
        guard model.condition != .none else { throw ImageTaskError("classification needs a conditional model") }
        let data = model.data
        let (images, factors) = data.batch(count, rng: &rng)
        let candidates = data.candidateLabels(for: model.condition)
        let predicted = model.minimumEnergy(of: images, over: candidates).argmin
        let truth = factors.map { nearest(model.condition.encode($0), in: candidates) }
        var metrics: [String: Double] = [
            "accuracy": Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(count),
            "chance": 1 / Double(candidates.count), "images": Double(count),
        ]
        let chosen = zip(factors, predicted).map { factors, k in decode(candidates[k], into: factors, condition: model.condition) }
        if model.condition == .position {
            let errors = zip(factors, chosen).map { truth, guess -> Double in
                let (a, b) = (data.renderer.pixelPosition(of: truth), data.renderer.pixelPosition(of: guess))
                return Double(((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot())
            }
            metrics["position_error_px"] = errors.reduce(0, +) / Double(count)
        }
        return ImageTaskResult(metrics: metrics, panels: [images, data.renderer.render(chosen)])
    }

    private func nearest(_ label: [Float], in candidates: [[Float]]) -> Int {
        candidates.indices.min { a, b in distance(candidates[a], label) < distance(candidates[b], label) }!
    }

    private func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }

    private func decode(_ label: [Float], into factors: ShapeFactors, condition: ImageCondition) -> ShapeFactors {
        var f = factors
        switch condition {
        case .none: break
        case .shape: f.shape = ShapeKind.training[label.firstIndex(of: label.max()!)!]
        case .scale: f.scale = label[0]
        case .position: (f.x, f.y) = (label[0], label[1])
        case .rotation: f.rotation = atan2f(label[1], label[0])
        }
        return f
    }
}
