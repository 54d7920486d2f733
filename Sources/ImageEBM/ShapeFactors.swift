import Foundation
import EBMCore

/// The ground truth of one rendered sprite: the dSprites latent factors.
public struct ShapeFactors: Codable, Equatable, Sendable {
    public var shape: ShapeKind
    /// Size relative to the largest sprite, in [0.5, 1] for the dSprites levels.
    public var scale: Float
    /// Counter-clockwise rotation on screen, radians.
    public var rotation: Float
    /// Horizontal position in [0, 1] (left to right) within the canvas' margin-safe box.
    public var x: Float
    /// Vertical position in [0, 1] (top to bottom) within the canvas' margin-safe box.
    public var y: Float

    public init(shape: ShapeKind, scale: Float, rotation: Float, x: Float, y: Float) {
        self.shape = shape
        self.scale = scale
        self.rotation = rotation
        self.x = x
        self.y = y
    }
}

/// Which factor a conditional energy is conditioned on, and how it is encoded as the label
/// vector its gain/bias layers read (IGEBM's dSprites encodings).
public enum ImageCondition: String, Codable, CaseIterable, Sendable {
    /// Unconditional: no label.
    case none
    /// One-hot over `ShapeKind.training` (3).
    case shape
    /// The scale (1).
    case scale
    /// (x, y) in [0, 1]² (2).
    case position
    /// (cos θ, sin θ) (2).
    case rotation

    /// Width of the label vector.
    public var labelWidth: Int {
        switch self {
        case .none: return 0
        case .shape: return ShapeKind.training.count
        case .scale: return 1
        case .position, .rotation: return 2
        }
    }

    /// The label of `factors`. The held-out shape has no shape label and encodes as all zeros.
    public func encode(_ factors: ShapeFactors) -> [Float] {
        switch self {
        case .none:
            return []
        case .shape:
            var oneHot = [Float](repeating: 0, count: ShapeKind.training.count)
            if let i = factors.shape.labelIndex { oneHot[i] = 1 }
            return oneHot
        case .scale:
            return [factors.scale]
        case .position:
            return [factors.x, factors.y]
        case .rotation:
            return [cosf(factors.rotation), sinf(factors.rotation)]
        }
    }

    /// Labels of a batch, `[B, labelWidth]`, or nil when unconditional.
    public func labels(_ factors: [ShapeFactors]) -> Tensor? {
        guard self != .none else { return nil }
        return Tensor(shape: [factors.count, labelWidth], scalars: factors.flatMap(encode))
    }
}
