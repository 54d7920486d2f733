import EBMCore
import Foundation

/// A small SVG writer for plots of 2-D worlds: draws in world coordinates (y up) through a
/// fixed world→pixel map, so every picture of one environment lines up.
public struct SVGDocument {
    public let width: Int
    public let height: Int
    /// World rectangle shown: x in `xRange`, y in `yRange`.
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    private var elements: [String] = []

    public init(width: Int, height: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, background: String = "#ffffff") {
        self.width = width
        self.height = height
        self.xRange = xRange
        self.yRange = yRange
        elements.append("<rect width=\"\(width)\" height=\"\(height)\" fill=\"\(background)\"/>")
    }

    /// Pixel coordinates of a world point.
    public func pixel(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let px = (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * Double(width)
        let py = (yRange.upperBound - y) / (yRange.upperBound - yRange.lowerBound) * Double(height)
        return (px, py)
    }

    private var scale: Double { Double(width) / (xRange.upperBound - xRange.lowerBound) }

    /// A filled axis-aligned rectangle given by world corners.
    public mutating func rectangle(xMin: Double, yMin: Double, xMax: Double, yMax: Double,
                                   fill: String, opacity: Double = 1, stroke: String? = nil) {
        let a = pixel(xMin, yMax), b = pixel(xMax, yMin)
        elements.append("<rect x=\"\(f(a.x))\" y=\"\(f(a.y))\" width=\"\(f(b.x - a.x))\" height=\"\(f(b.y - a.y))\" fill=\"\(fill)\"\(opacityAttribute(opacity))\(strokeAttribute(stroke))/>")
    }

    /// A circle with a world centre and a world radius, or a pixel radius when `pixelRadius`.
    public mutating func circle(x: Double, y: Double, radius: Double, pixelRadius: Bool = false,
                                fill: String, opacity: Double = 1, stroke: String? = nil) {
        let c = pixel(x, y)
        let r = pixelRadius ? radius : radius * scale
        elements.append("<circle cx=\"\(f(c.x))\" cy=\"\(f(c.y))\" r=\"\(f(r))\" fill=\"\(fill)\"\(opacityAttribute(opacity))\(strokeAttribute(stroke))/>")
    }

    /// A polyline through world points.
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width lineWidth: Double = 1, opacity: Double = 1) {
        guard !points.isEmpty else { return }
        let coordinates = points.map { p -> String in
            let q = pixel(p.0, p.1)
            return "\(f(q.x)),\(f(q.y))"
        }.joined(separator: " ")
        elements.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(f(lineWidth))\" stroke-linecap=\"round\" stroke-linejoin=\"round\"\(opacityAttribute(opacity))/>")
    }

    /// Text at a world position (pixel size).
    public mutating func text(_ string: String, x: Double, y: Double, size: Double = 12, fill: String = "#222222") {
        let p = pixel(x, y)
        let escaped = string.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        elements.append("<text x=\"\(f(p.x))\" y=\"\(f(p.y))\" font-family=\"sans-serif\" font-size=\"\(f(size))\" fill=\"\(fill)\">\(escaped)</text>")
    }

    /// A heat map of `values` (row-major, `rows` × `columns`, row 0 at the top of the world
    /// rectangle), coloured from `low` to `high` by `ColorRamp`.
    public mutating func heatmap(_ values: [Double], rows: Int, columns: Int, ramp: ColorRamp = .energy, opacity: Double = 1) {
        guard let lo = values.min(), let hi = values.max() else { return }
        let span = hi > lo ? hi - lo : 1
        let cw = Double(width) / Double(columns), ch = Double(height) / Double(rows)
        for r in 0..<rows {
            for c in 0..<columns {
                let t = (values[r * columns + c] - lo) / span
                elements.append("<rect x=\"\(f(Double(c) * cw))\" y=\"\(f(Double(r) * ch))\" width=\"\(f(cw + 0.5))\" height=\"\(f(ch + 0.5))\" fill=\"\(ramp.color(at: t))\"\(opacityAttribute(opacity))/>")
            }
        }
    }

    /// The document as SVG text.
    public var rendered: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
            + elements.joined(separator: "\n") + "\n</svg>\n"
    }

    /// Writes the document atomically (a failed write leaves no partial file).
    public func write(to url: URL) throws {
        try FileIO.writeAtomically(Array(rendered.utf8), to: url, format: "svg")
    }

    private func opacityAttribute(_ o: Double) -> String { o < 1 ? " opacity=\"\(f(o))\"" : "" }
    private func strokeAttribute(_ s: String?) -> String { s.map { " stroke=\"\($0)\"" } ?? "" }
    private func f(_ v: Double) -> String { String(format: "%.2f", v) }
}

/// Colour ramps for values in [0, 1].
public struct ColorRamp: Sendable {
    /// Stops as (position, r, g, b) with channels in 0…255.
    public var stops: [(Double, Double, Double, Double)]

    /// Dark blue (low energy) through teal and yellow to white (high).
    public static let energy = ColorRamp(stops: [(0, 13, 8, 135), (0.35, 33, 145, 140), (0.7, 253, 231, 37), (1, 255, 255, 255)])
    /// Cost ramp for sampled futures: green (cheap) to red (expensive).
    public static let cost = ColorRamp(stops: [(0, 40, 160, 60), (0.5, 240, 180, 40), (1, 210, 40, 40)])

    /// Hex colour at `t` (clamped to [0, 1]).
    public func color(at t: Double) -> String {
        let t = min(max(t, 0), 1)
        var i = 0
        while i < stops.count - 2 && t > stops[i + 1].0 { i += 1 }
        let (p0, r0, g0, b0) = stops[i], (p1, r1, g1, b1) = stops[i + 1]
        let u = p1 > p0 ? (t - p0) / (p1 - p0) : 0
        func channel(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * u).rounded()) }
        return String(format: "#%02x%02x%02x", channel(r0, r1), channel(g0, g1), channel(b0, b1))
    }
}
