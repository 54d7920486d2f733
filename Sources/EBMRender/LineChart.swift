import EBMEnvironments
import Foundation

/// A line chart of measured curves (success rate or coverage against environment steps), for
/// the experiments' figures.
///
/// Like a `Scene`, the chart is a list of `DrawCommand`s in its own world frame (the plot
/// area is the unit square), so the SVG and PNG back-ends draw the same picture; the SVG adds
/// the title, axis labels, tick values and legend as text, which the rasteriser cannot draw.
public struct LineChart: Sendable {
    /// One measured curve.
    public struct Series: Sendable {
        public var name: String
        public var color: RGBA
        /// (x, y) in data units, in order of x.
        public var points: [SIMD2<Double>]
        /// Per point, the spread drawn as a vertical bar (e.g. min…max over seeds); any other
        /// count draws none.
        public var spread: [ClosedRange<Double>]

        public init(name: String, color: RGBA, points: [SIMD2<Double>], spread: [ClosedRange<Double>] = []) {
            self.name = name
            self.color = color
            self.points = points
            self.spread = spread
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// The y values shown; x runs from 0 to the largest x of any series.
    public var yRange: ClosedRange<Double>

    public init(title: String, xLabel: String, yLabel: String, series: [Series], yRange: ClosedRange<Double>) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
    }

    /// The world rectangle shown: the unit plot square with room for labels.
    public static let region = Box(xmin: -0.16, ymin: -0.14, xmax: 1.05, ymax: 1.12)

    private static let ticks = 5
    private static let axis = RGBA(60, 60, 60)
    private static let grid = RGBA(215, 215, 210)

    private var xMax: Double { series.flatMap { $0.points.map(\.x) }.max().map { $0 > 0 ? $0 : 1 } ?? 1 }

    private func frame(_ x: Double, _ y: Double) -> SIMD2<Double> {
        let span = yRange.upperBound - yRange.lowerBound
        return SIMD2(x / xMax, span > 0 ? (y - yRange.lowerBound) / span : 0)
    }

    /// Grid, axes, spreads and curves, back to front.
    public func commands() -> [DrawCommand] {
        var commands: [DrawCommand] = []
        for i in 0...Self.ticks {
            let t = Double(i) / Double(Self.ticks)
            commands.append(.polyline([SIMD2(0, t), SIMD2(1, t)], width: 1, Self.grid))
            commands.append(.polyline([SIMD2(t, 0), SIMD2(t, 1)], width: 1, Self.grid))
        }
        commands.append(.polyline([SIMD2(0, 1), SIMD2(0, 0), SIMD2(1, 0)], width: 1.5, Self.axis))
        for s in series {
            if s.spread.count == s.points.count {
                for (p, range) in zip(s.points, s.spread) {
                    commands.append(.polyline([frame(p.x, range.lowerBound), frame(p.x, range.upperBound)], width: 2,
                                              s.color.withAlpha(120)))
                }
            }
            commands.append(.polyline(s.points.map { frame($0.x, $0.y) }, width: 2.5, s.color))
            commands += s.points.map { .fillCircle(center: frame($0.x, $0.y), radius: .pixels(3.5), s.color) }
        }
        for (k, s) in series.enumerated() {
            let y = 1.07 - 0.05 * Double(k)
            commands.append(.polyline([SIMD2(0.04, y), SIMD2(0.12, y)], width: 3, s.color))
        }
        return commands
    }

    /// The chart as SVG, with its text.
    public func svg(width: Int, height: Int) -> SVGDocument {
        let r = Self.region
        var document = SVGDocument(width: width, height: height, xRange: r.lower.x...r.upper.x, yRange: r.lower.y...r.upper.y)
        document.draw(commands())
        document.text(title, x: 0.3, y: 1.08, size: 14)
        for (k, s) in series.enumerated() {
            document.text(s.name, x: 0.14, y: 1.06 - 0.05 * Double(k), size: 12)
        }
        for i in 0...Self.ticks {
            let t = Double(i) / Double(Self.ticks)
            document.text(Self.format(t * xMax), x: t - 0.03, y: -0.05, size: 10)
            document.text(Self.format(yRange.lowerBound + t * (yRange.upperBound - yRange.lowerBound)), x: -0.12, y: t - 0.01, size: 10)
        }
        document.text(xLabel, x: 0.4, y: -0.11, size: 12)
        document.text(yLabel, x: -0.15, y: 0.5, size: 12)
        return document
    }

    /// The chart rasterised (no text).
    public func raster(width: Int, height: Int) -> RasterCanvas {
        var canvas = RasterCanvas(map: PixelMap(width: width, height: height, region: Self.region), background: RGBA(255, 255, 255))
        canvas.draw(commands())
        return canvas
    }

    private static func format(_ v: Double) -> String {
        v.rounded() == v || abs(v) >= 10 ? String(format: "%.0f", v) : String(format: "%.2f", v)
    }
}
