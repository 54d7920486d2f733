import EBMEnvironments

/// The world→pixel map every back-end shares: the world rectangle `region` (y up) stretched
/// onto a `width` × `height` image (y down), exactly as `SVGDocument.pixel` maps it.
///
/// Pixel coordinates are continuous: pixel (column i, row j) covers [i, i+1) × [j, j+1) and its
/// centre is (i + 0.5, j + 0.5). The left edge of the region is x = 0, its top edge y = 0.
public struct PixelMap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// The world rectangle shown.
    public let region: Box

    public init(width: Int, height: Int, region: Box) {
        self.width = width
        self.height = height
        self.region = region
    }

    /// Pixels per world unit along x and y.
    public var scale: SIMD2<Double> {
        SIMD2(Double(width), Double(height)) / (region.upper - region.lower)
    }

    /// Continuous pixel coordinates of a world point.
    public func pixel(_ p: SIMD2<Double>) -> SIMD2<Double> {
        let s = scale
        return SIMD2((p.x - region.lower.x) * s.x, (region.upper.y - p.y) * s.y)
    }

    /// The world point at continuous pixel coordinates (the inverse of `pixel`), e.g. a click.
    public func world(_ pixel: SIMD2<Double>) -> SIMD2<Double> {
        let s = scale
        return SIMD2(region.lower.x + pixel.x / s.x, region.upper.y - pixel.y / s.y)
    }

    /// The pixel (column, row) containing a world point, or `nil` when it falls outside the image.
    public func pixelIndex(_ p: SIMD2<Double>) -> (column: Int, row: Int)? {
        let q = pixel(p)
        guard q.x >= 0, q.y >= 0, q.x < Double(width), q.y < Double(height) else { return nil }
        return (Int(q.x), Int(q.y))
    }

    /// A length in pixels as a world length along x (for markers sized in pixels).
    public func worldLength(pixels: Double) -> Double { pixels / scale.x }
}
