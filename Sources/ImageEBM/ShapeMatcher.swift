import Foundation
import EBMCore

/// The best-fitting template of one image.
public struct ShapeMatch: Equatable, Sendable {
    /// The template's shape; nil when the image has no pixel above one half.
    public var shape: ShapeKind?
    public var scale: Float
    public var rotation: Float
    /// Intersection over union of the binarised image and the template, in [0, 1].
    public var iou: Float

    /// Whether the template overlaps the image by IoU ≥ 0.5: the image is a sprite of that
    /// shape rather than a blob or speck that some template merely fits best.
    public var isRecognisable: Bool { iou >= 0.5 }
}

/// Recognises the sprite in an image by template matching: the image is binarised at 0.5 and
/// compared, by intersection over union, with binary renders of every candidate shape at every
/// scale level, every rotation (up to the shape's symmetry) and positions within half a pixel
/// of the image's centre of mass. Shape accuracy of generated images is the fraction whose
/// best template has the shape they were conditioned on.
public struct ShapeMatcher: Sendable {
    public var renderer: ShapeRenderer
    public var shapes: [ShapeKind]
    public var scales: [Float]
    /// Rotations tried per full turn (divided by each shape's symmetry).
    public var rotationsPerTurn: Int
    /// Offsets tried around the centre of mass, per axis, in pixels.
    public var offsets: [Float]

    public init(data: ShapeDataset, shapes: [ShapeKind]? = nil, rotationsPerTurn: Int = 36, offsets: [Float] = [-0.5, 0, 0.5]) {
        renderer = ShapeRenderer(size: data.size, supersampling: 1)
        self.shapes = shapes ?? data.shapes
        scales = data.scales
        self.rotationsPerTurn = rotationsPerTurn
        self.offsets = offsets
    }

    /// The best template for a `size × size` image.
    public func match(_ image: ArraySlice<Float>) -> ShapeMatch {
        let size = renderer.size
        let mask = image.map { $0 >= 0.5 }
        let pixels = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard pixels > 0 else { return ShapeMatch(shape: nil, scale: 0, rotation: 0, iou: 0) }
        var binary = [Float](repeating: 0, count: size * size)
        for (k, on) in mask.enumerated() where on { binary[k] = 1 }
        let (cx, cy) = ImageMetrics.centreOfMass(binary[...], size: size)
        var best = ShapeMatch(shape: nil, scale: 0, rotation: 0, iou: -1)
        var template = [Float](repeating: 0, count: size * size)
        for shape in shapes {
            let turns = max(1, rotationsPerTurn / shape.rotationalSymmetry)
            for scale in scales {
                let radius = renderer.radius(scale: scale)
                for r in 0..<turns {
                    let rotation = 2 * Float.pi * Float(r) / Float(turns * shape.rotationalSymmetry)
                    for dy in offsets {
                        for dx in offsets {
                            let (x, y) = (cx + dx, cy + dy)
                            renderer.draw(shape, centreX: x, centreY: y, radius: radius, rotation: rotation,
                                          supersampling: 1, into: &template)
                            var inside = 0, overlap = 0
                            for k in renderer.footprint(centreX: x, centreY: y, radius: radius) where template[k] > 0 {
                                inside += 1
                                if mask[k] { overlap += 1 }
                            }
                            let iou = Float(overlap) / Float(pixels + inside - overlap)
                            if iou > best.iou { best = ShapeMatch(shape: shape, scale: scale, rotation: rotation, iou: iou) }
                        }
                    }
                }
            }
        }
        return best
    }

    /// The best template of every image in a `[B, 1, size, size]` batch.
    public func match(batch images: Tensor) -> [ShapeMatch] {
        let area = renderer.size * renderer.size
        return (0..<images.rows).map { match(images.scalars[($0 * area)..<(($0 + 1) * area)]) }
    }

    /// Fraction of `images` whose best template has the shape in `targets`.
    public func accuracy(_ images: Tensor, targets: [ShapeKind]) -> Double {
        let matches = match(batch: images)
        precondition(matches.count == targets.count, "one target shape per image")
        let hits = zip(matches, targets).filter { $0.0.shape == $0.1 }.count
        return Double(hits) / Double(max(targets.count, 1))
    }
}
