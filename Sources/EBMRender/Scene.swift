import EBMEnvironments

/// Everything one picture of a planning episode shows, independent of how it is drawn.
///
/// The raster canvas (`--png`), the SVG document (`--svg`) and the OpenGL viewer all draw a
/// `Scene` through the same `SceneStyle`, so the three pictures agree: one description, three
/// back-ends.
public struct Scene: Sendable, Equatable {
    /// The environment: workspace, walls, obstacles, goal, agent, arm.
    public var geometry: Geometry
    /// Sampled futures, chosen plan and executed path.
    public var traces: SceneTraces
    /// A field drawn under everything else, or `nil` for none.
    public var heatmap: Heatmap?
    /// The world rectangle shown (pictures map it onto their full size).
    public var region: Box

    /// `region` defaults to the geometry's bounds with a margin of `marginFraction` of their
    /// size on each side, so the workspace border stays visible.
    public init(geometry: Geometry, traces: SceneTraces = SceneTraces(), heatmap: Heatmap? = nil, region: Box? = nil) {
        self.geometry = geometry
        self.traces = traces
        self.heatmap = heatmap
        self.region = region ?? Scene.paddedBounds(geometry.bounds)
    }

    /// Margin around the geometry's bounds in the default region, as a fraction of their size.
    public static let marginFraction = 0.04

    /// The map that shows `region` on a `width` × `height` picture.
    public func pixelMap(width: Int, height: Int) -> PixelMap {
        PixelMap(width: width, height: height, region: region)
    }

    private static func paddedBounds(_ bounds: Box) -> Box {
        let margin = (bounds.upper - bounds.lower) * marginFraction
        return Box(xmin: bounds.lower.x - margin.x, ymin: bounds.lower.y - margin.y,
                   xmax: bounds.upper.x + margin.x, ymax: bounds.upper.y + margin.y)
    }
}
