import EBMEnvironments

/// A small deterministic software rasteriser over a `PNGImage`, drawing in world coordinates
/// through a `PixelMap` — so `--png` pictures need no GPU and match the SVG and GL back-ends.
///
/// Rule: a shape covers the pixels whose centres it contains (rectangles half-open on their
/// right and bottom edges, so rectangles that share an edge tile without gaps or overlap).
/// No anti-aliasing and integer blending: the same commands give the same bytes on every run.
/// Each command is blended once per pixel, however many of its parts cover it.
public struct RasterCanvas: Sendable {
    /// How world coordinates land on `image`.
    public let map: PixelMap
    /// The picture so far.
    public private(set) var image: PNGImage

    /// A blank canvas of `map`'s size filled with the opaque `background`.
    public init(map: PixelMap, background: RGBA) {
        self.map = map
        image = PNGImage(width: map.width, height: map.height, fill: background.withAlpha(255))
    }

    /// `scene` drawn at `width` × `height` in `style`.
    public init(scene: Scene, width: Int, height: Int, style: SceneStyle = .standard) {
        self.init(map: scene.pixelMap(width: width, height: height), background: style.background)
        draw(style.commands(for: scene))
    }

    /// Draws `commands` in order, later ones on top.
    public mutating func draw(_ commands: [DrawCommand]) {
        for command in commands { draw(command) }
    }

    /// Draws one primitive.
    public mutating func draw(_ command: DrawCommand) {
        switch command {
        case let .fillRect(box, color): fillRect(box, color)
        case let .fillCircle(center, radius, color): fillCircle(center: center, radius: radius, color)
        case let .strokeCircle(center, radius, width, color):
            strokeCircle(center: center, radius: radius, width: width, color)
        case let .polyline(points, width, color): polyline(points, width: width, color)
        }
    }

    /// Covers the pixels whose centres lie in the box (left and top edges included).
    public mutating func fillRect(_ box: Box, _ color: RGBA) {
        let a = map.pixel(SIMD2(box.lower.x, box.upper.y)), b = map.pixel(SIMD2(box.upper.x, box.lower.y))
        guard let columns = halfOpenSpan(a.x, b.x, limit: map.width),
              let rows = halfOpenSpan(a.y, b.y, limit: map.height) else { return }
        for row in rows {
            for column in columns { blend(column, row, color) }
        }
    }

    /// Covers the pixels whose centres lie within the radius of the centre.
    public mutating func fillCircle(center: SIMD2<Double>, radius: DrawCommand.Length, _ color: RGBA) {
        let c = map.pixel(center), r = radius.pixels(in: map)
        cover(from: c - r, to: c + r, color) { p in lengthSquared(p - c) <= r * r }
    }

    /// Covers the pixels whose centres lie within `width / 2` pixels of the circle.
    public mutating func strokeCircle(center: SIMD2<Double>, radius: DrawCommand.Length, width: Double, _ color: RGBA) {
        let c = map.pixel(center), r = radius.pixels(in: map), half = strokeHalfWidth(width)
        cover(from: c - (r + half), to: c + (r + half), color) { p in
            abs(lengthSquared(p - c).squareRoot() - r) <= half
        }
    }

    /// Covers the pixels whose centres lie within `width / 2` pixels of a segment (round caps
    /// and joins). Segments with a non-finite end are skipped.
    public mutating func polyline(_ points: [SIMD2<Double>], width: Double, _ color: RGBA) {
        let pixels = points.map(map.pixel)
        let half = strokeHalfWidth(width)
        let segments = pixels.count == 1 ? [(pixels[0], pixels[0])] : Array(zip(pixels, pixels.dropFirst()))
        let drawable = segments.filter { isFinite($0.0) && isFinite($0.1) }
        guard !drawable.isEmpty else { return }
        // Mark coverage first and blend afterwards so a translucent line is blended once where
        // its own segments overlap.
        var low = SIMD2<Double>(repeating: .infinity), high = SIMD2<Double>(repeating: -.infinity)
        for (a, b) in drawable {
            low = pointwiseMin(low, pointwiseMin(a, b))
            high = pointwiseMax(high, pointwiseMax(a, b))
        }
        guard let columns = closedSpan(low.x - half, high.x + half, limit: map.width),
              let rows = closedSpan(low.y - half, high.y + half, limit: map.height) else { return }
        var mask = [Bool](repeating: false, count: columns.count * rows.count)
        for (a, b) in drawable {
            let lo = pointwiseMin(a, b) - half, hi = pointwiseMax(a, b) + half
            guard let segmentColumns = closedSpan(lo.x, hi.x, limit: map.width),
                  let segmentRows = closedSpan(lo.y, hi.y, limit: map.height) else { continue }
            for row in segmentRows {
                for column in segmentColumns where distanceSquared(centre(column, row), a, b) <= half * half {
                    mask[(row - rows.lowerBound) * columns.count + column - columns.lowerBound] = true
                }
            }
        }
        for row in rows {
            for column in columns where mask[(row - rows.lowerBound) * columns.count + column - columns.lowerBound] {
                blend(column, row, color)
            }
        }
    }

    // MARK: - Pixel coverage

    private mutating func cover(from low: SIMD2<Double>, to high: SIMD2<Double>, _ color: RGBA,
                                _ contains: (SIMD2<Double>) -> Bool) {
        guard let columns = closedSpan(low.x, high.x, limit: map.width),
              let rows = closedSpan(low.y, high.y, limit: map.height) else { return }
        for row in rows {
            for column in columns where contains(centre(column, row)) { blend(column, row, color) }
        }
    }

    private mutating func blend(_ column: Int, _ row: Int, _ color: RGBA) {
        image[column, row] = color.a == 255 ? color : color.over(image[column, row])
    }
}

/// Lines thinner than a pixel would miss pixel centres and break up; draw them one pixel wide.
private func strokeHalfWidth(_ width: Double) -> Double { max(width, 1) / 2 }

private func centre(_ column: Int, _ row: Int) -> SIMD2<Double> { SIMD2(Double(column) + 0.5, Double(row) + 0.5) }

private func isFinite(_ p: SIMD2<Double>) -> Bool { p.x.isFinite && p.y.isFinite }

private func lengthSquared(_ v: SIMD2<Double>) -> Double { (v * v).sum() }

/// Squared distance from `p` to the closed segment a–b.
private func distanceSquared(_ p: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
    let d = b - a, length = lengthSquared(d)
    let t = length == 0 ? 0 : min(max(((p - a) * d).sum() / length, 0), 1)
    return lengthSquared(a + t * d - p)
}

/// Indices i in 0..<limit whose centre i + 0.5 lies in [low, high); `nil` when none do or the
/// bounds are not finite.
private func halfOpenSpan(_ low: Double, _ high: Double, limit: Int) -> Range<Int>? {
    guard low.isFinite, high.isFinite else { return nil }
    let first = max((low - 0.5).rounded(.up), 0)
    let end = min((high - 0.5).rounded(.up), Double(limit))
    return first < end ? Int(first)..<Int(end) : nil
}

/// Indices i in 0..<limit whose centre i + 0.5 lies in [low, high]; `nil` when none do or the
/// bounds are not finite.
private func closedSpan(_ low: Double, _ high: Double, limit: Int) -> ClosedRange<Int>? {
    guard low.isFinite, high.isFinite else { return nil }
    let first = max((low - 0.5).rounded(.up), 0)
    let last = min((high - 0.5).rounded(.down), Double(limit - 1))
    return first <= last ? Int(first)...Int(last) : nil
}
