import EBMCore
import Foundation

/// The procedural dSprites-like data set: every combination of shape, scale level, rotation
/// level and position level (dSprites has 3 × 6 × 40 × 32 × 32), drawn uniformly at random and
/// rendered on the fly, so no file is ever needed.
public struct ShapeDataset: Codable, Equatable, Sendable {
    public var renderer: ShapeRenderer
    /// Shapes in the data (the held-out triangle is never among them by default).
    public var shapes: [ShapeKind]
    /// Scale levels; dSprites uses 6 evenly spaced in [0.5, 1].
    public var scales: [Float]
    /// Rotation levels: angles 2πk/levels.
    public var rotationLevels: Int
    /// Position levels per axis: positions k/(levels − 1) in [0, 1].
    public var positionLevels: Int

    /// dSprites' six scales, 0.5 to 1.
    public static let dspritesScales: [Float] = (0..<6).map { 0.5 + 0.1 * Float($0) }

    public init(size: Int, supersampling: Int = 4, shapes: [ShapeKind] = ShapeKind.training,
                scales: [Float] = ShapeDataset.dspritesScales, rotationLevels: Int = 40, positionLevels: Int = 16) {
        renderer = ShapeRenderer(size: size, supersampling: supersampling)
        self.shapes = shapes
        self.scales = scales
        self.rotationLevels = rotationLevels
        self.positionLevels = positionLevels
    }

    /// Side of the images.
    public var size: Int { renderer.size }

    /// A one-line reason why this configuration cannot produce data, or nil.
    public var problem: String? {
        if let p = renderer.problem { return p }
        guard !shapes.isEmpty else { return "the data set needs at least one shape" }
        guard !scales.isEmpty, scales.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1 }) else {
            return "scales must be in (0, 1], got \(scales)"
        }
        guard rotationLevels >= 1 else { return "rotation levels must be at least 1, got \(rotationLevels)" }
        guard positionLevels >= 2 else { return "position levels must be at least 2, got \(positionLevels)" }
        return nil
    }

    /// The rotation of level `k`.
    public func rotation(level k: Int) -> Float { 2 * Float.pi * Float(k) / Float(rotationLevels) }

    /// The position of level `k`.
    public func position(level k: Int) -> Float { Float(k) / Float(positionLevels - 1) }

    /// Factors drawn uniformly from the grid (of `shapes`, or of the given shape).
    public func randomFactors(shape: ShapeKind? = nil, rng: inout RNG) -> ShapeFactors {
        ShapeFactors(shape: shape ?? shapes[rng.index(below: shapes.count)],
                     scale: scales[rng.index(below: scales.count)],
                     rotation: rotation(level: rng.index(below: rotationLevels)),
                     x: position(level: rng.index(below: positionLevels)),
                     y: position(level: rng.index(below: positionLevels)))
    }

    /// `count` random factor sets and their images `[count, 1, size, size]`.
    public func batch(_ count: Int, shape: ShapeKind? = nil, rng: inout RNG) -> (images: Tensor, factors: [ShapeFactors]) {
        let factors = (0..<count).map { _ in randomFactors(shape: shape, rng: &rng) }
        return (renderer.render(factors), factors)
    }

    /// The per-pixel mean image of the data set (Monte Carlo over `samples` draws, seeded so
    /// that the inpainting baseline is a fixed function of the configuration).
    public func meanImage(samples: Int = 4000) -> [Float] {
        var rng = RNG(seed: 0x6D65616E)
        var sum = [Double](repeating: 0, count: size * size)
        for _ in 0..<samples {
            for (i, v) in renderer.render(randomFactors(rng: &rng)).enumerated() { sum[i] += Double(v) }
        }
        return sum.map { Float($0 / Double(samples)) }
    }

    /// Every label on the grid for `condition` (one per class or level), in a fixed order:
    /// the candidates of argmin-energy classification and of OOD scores for conditional models.
    public func candidateLabels(for condition: ImageCondition) -> [[Float]] {
        switch condition {
        case .none:
            return [[]]
        case .shape:
            return ShapeKind.training.map { ImageCondition.shape.encode(ShapeFactors(shape: $0, scale: 1, rotation: 0, x: 0, y: 0)) }
        case .scale:
            return scales.map { [$0] }
        case .position:
            return (0..<positionLevels).flatMap { j in (0..<positionLevels).map { i in [position(level: i), position(level: j)] } }
        case .rotation:
            return (0..<rotationLevels).map { [cosf(rotation(level: $0)), sinf(rotation(level: $0))] }
        }
    }
}
