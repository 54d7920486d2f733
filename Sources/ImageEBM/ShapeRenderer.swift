import EBMCore
import Foundation

/// Draws dSprites-like sprites on a square grayscale canvas (background 0, shape 1).
///
/// A sprite of scale s has radius R = s·`radiusFraction`·size: every shape fits in that disk
/// around its centroid, and centroids stay in the box [margin, size − margin]² with margin = the
/// largest radius, so no sprite is ever clipped and the centre of mass of a rendered image is
/// its position. Pixel (row i, column j) covers [j, j+1) × [i, i+1); with `supersampling` n a
/// pixel's value is the fraction of its n×n sub-sample points inside the shape (n = 1 gives
/// binary dSprites-style images).
public struct ShapeRenderer: Codable, Equatable, Sendable {
    /// Side of the canvas in pixels.
    public var size: Int
    /// Sub-samples per pixel side (1: binary; 4: 16-level anti-aliasing).
    public var supersampling: Int

    /// Radius of a scale-1 sprite as a fraction of the canvas side.
    public static let radiusFraction: Float = 0.25

    public init(size: Int, supersampling: Int = 4) {
        self.size = size
        self.supersampling = supersampling
    }

    /// A one-line reason why this renderer cannot draw, or nil.
    public var problem: String? {
        guard size >= 8 && size <= 512 else { return "image size must be in 8...512, got \(size)" }
        guard supersampling >= 1 && supersampling <= 16 else { return "supersampling must be in 1...16, got \(supersampling)" }
        return nil
    }

    /// Distance from the canvas edge to the nearest allowed centroid (the scale-1 radius).
    public var margin: Float { Self.radiusFraction * Float(size) }

    /// Radius of a sprite of the given scale, in pixels.
    public func radius(scale: Float) -> Float { scale * margin }

    /// The centroid of `factors` in pixel coordinates (x to the right, y down).
    public func pixelPosition(of factors: ShapeFactors) -> (x: Float, y: Float) {
        pixelPosition(x: factors.x, y: factors.y)
    }

    /// Pixel coordinates of the position label (x, y) ∈ [0, 1]².
    public func pixelPosition(x: Float, y: Float) -> (x: Float, y: Float) {
        let span = Float(size) - 2 * margin
        return (margin + x * span, margin + y * span)
    }

    /// The image of one sprite, `size × size` values in [0, 1], rows from the top.
    public func render(_ factors: ShapeFactors) -> [Float] {
        var image = [Float](repeating: 0, count: size * size)
        let (cx, cy) = pixelPosition(of: factors)
        draw(factors.shape, centreX: cx, centreY: cy, radius: radius(scale: factors.scale),
             rotation: factors.rotation, supersampling: supersampling, into: &image)
        return image
    }

    /// A batch of sprites as NCHW `[B, 1, size, size]`.
    public func render(_ batch: [ShapeFactors]) -> Tensor {
        var scalars = [Float]()
        scalars.reserveCapacity(batch.count * size * size)
        for factors in batch { scalars += render(factors) }
        return Tensor(shape: [batch.count, 1, size, size], scalars: scalars)
    }

    /// Draws a shape of radius `radius` centred on the pixel point (centreX, centreY), rotated
    /// counter-clockwise on screen, writing coverage into `image` (`size²`, overwriting only the
    /// pixels the sprite's disk can touch). Template matching calls this with arbitrary centres.
    public func draw(_ shape: ShapeKind, centreX: Float, centreY: Float, radius: Float, rotation: Float,
                     supersampling n: Int, into image: inout [Float]) {
        let (c, s) = (cosf(rotation), sinf(rotation))
        let inverseRadius = 1 / radius
        let rows = pixelRange(centreY - radius, centreY + radius)
        let columns = pixelRange(centreX - radius, centreX + radius)
        let weight = 1 / Float(n * n)
        for i in rows {
            for j in columns {
                var inside = 0
                for a in 0..<n {
                    let dy = Float(i) + (Float(a) + 0.5) / Float(n) - centreY
                    for b in 0..<n {
                        let dx = Float(j) + (Float(b) + 0.5) / Float(n) - centreX
                        // Undo the on-screen rotation (y points down, so CCW on screen is the
                        // transpose of the usual matrix).
                        let u = (dx * c - dy * s) * inverseRadius
                        let v = (dx * s + dy * c) * inverseRadius
                        if u * u + v * v <= 1 && shape.contains(u, v) { inside += 1 }
                    }
                }
                image[i * size + j] = Float(inside) * weight
            }
        }
    }

    /// Indices of the pixels `draw` writes for a sprite of `radius` at (centreX, centreY).
    func footprint(centreX: Float, centreY: Float, radius: Float) -> [Int] {
        let columns = pixelRange(centreX - radius, centreX + radius)
        return pixelRange(centreY - radius, centreY + radius).flatMap { i in columns.map { i * size + $0 } }
    }

    /// Rows (or columns) whose pixels can intersect the interval [lo, hi].
    private func pixelRange(_ lo: Float, _ hi: Float) -> Range<Int> {
        let first = max(0, Int(lo.rounded(.down)))
        let last = min(size - 1, Int(hi.rounded(.down)))
        return first <= last ? first..<(last + 1) : 0..<0
    }
}
