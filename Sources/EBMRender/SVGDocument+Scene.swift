import EBMEnvironments
import Foundation

extension SVGDocument {
    /// `scene` drawn at `width` × `height` in `style`, through the same world→pixel map as the
    /// raster canvas and the viewer.
    public init(scene: Scene, width: Int, height: Int, style: SceneStyle = .standard) {
        let region = scene.region
        self.init(width: width, height: height, xRange: region.lower.x...region.upper.x,
                  yRange: region.lower.y...region.upper.y, background: style.background.hex)
        draw(style.commands(for: scene))
    }

    /// Appends the commands' elements.
    public mutating func draw(_ commands: [DrawCommand]) {
        for command in commands { draw(command) }
    }

    /// Appends one command's element.
    public mutating func draw(_ command: DrawCommand) {
        switch command {
        case let .fillRect(box, color):
            rectangle(xMin: box.lower.x, yMin: box.lower.y, xMax: box.upper.x, yMax: box.upper.y,
                      fill: color.hex, opacity: color.opacity)
        case let .fillCircle(center, radius, color):
            circle(x: center.x, y: center.y, radius: radius.pixels(in: map), pixelRadius: true,
                   fill: color.hex, opacity: color.opacity)
        case let .strokeCircle(center, radius, width, color):
            // SVGDocument's circles have a fixed 1-pixel stroke; a closed polyline carries the width.
            let r = radius.world(in: map)
            let points = (0...Self.circleSegments).map { i -> (Double, Double) in
                let angle = 2 * Double.pi * Double(i) / Double(Self.circleSegments)
                return (center.x + r * cos(angle), center.y + r * sin(angle))
            }
            polyline(points, stroke: color.hex, width: width, opacity: color.opacity)
        case let .polyline(points, width, color):
            let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
            polyline(finite.map { ($0.x, $0.y) }, stroke: color.hex, width: width, opacity: color.opacity)
        }
    }

    private static let circleSegments = 96

    private var map: PixelMap {
        PixelMap(width: width, height: height,
                 region: Box(xmin: xRange.lowerBound, ymin: yRange.lowerBound, xmax: xRange.upperBound, ymax: yRange.upperBound))
    }
}
