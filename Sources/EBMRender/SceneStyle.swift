import EBMEnvironments

/// How a `Scene` looks: colours, widths and drawing order, shared by every back-end.
///
/// `commands(for:)` is the only place that decides what a scene becomes on screen; the raster
/// canvas, the SVG document and the OpenGL viewer only execute the commands it returns.
public struct SceneStyle: Sendable {
    /// Everything not covered by a shape.
    public var background = RGBA(248, 248, 244)
    /// Outline of the environment's bounds.
    public var border = RGBA(150, 150, 150)
    /// Fixed walls (the maze's), darker than the episode's obstacles.
    public var wall = RGBA(60, 64, 72)
    public var obstacle = RGBA(125, 128, 140)
    /// Heatmap cells by min–max normalised value.
    public var heatmapRamp = ColorRamp.energy
    /// Futures are coloured by normalised cost on this ramp (cheap at 0), unless the traces
    /// give each its own colour.
    public var futureRamp = ColorRamp.cost
    /// Faint, so many overlapping futures read as a density.
    public var futureAlpha: UInt8 = 110
    public var futureWidth = 1.5
    /// The chosen plan, bold over the futures.
    public var plan = RGBA(30, 90, 230)
    public var planWidth = 3.5
    /// The path actually travelled.
    public var executed = RGBA(25, 25, 25)
    public var executedWidth = 2.5
    /// The success region's outline and the goal marker.
    public var goal = RGBA(200, 30, 160)
    public var goalRadius = 6.0
    public var toleranceWidth = 1.5
    /// Arm links and their joints.
    public var link = RGBA(45, 115, 200)
    public var linkWidth = 9.0
    public var joint = RGBA(25, 25, 25)
    public var jointRadius = 5.0
    /// The particle, or the arm's fingertip.
    public var agent = RGBA(245, 140, 0)
    public var agentRadius = 5.0

    /// The standard style; adjust fields to taste.
    public init() {}

    /// The house style.
    public static let standard = SceneStyle()

    /// The scene as primitives, back to front: heatmap, border, walls, obstacles, futures
    /// (most expensive first, so the cheapest lie on top), plan, executed path, success region,
    /// arm, goal marker, agent.
    public func commands(for scene: Scene) -> [DrawCommand] {
        let geometry = scene.geometry
        let traces = scene.traces
        var commands: [DrawCommand] = []
        if let heatmap = scene.heatmap { commands += heatmapCells(heatmap) }
        let b = geometry.bounds
        commands.append(.polyline([b.lower, SIMD2(b.upper.x, b.lower.y), b.upper, SIMD2(b.lower.x, b.upper.y), b.lower],
                                  width: 1.5, border))
        commands += geometry.walls.map { shape($0, wall) }
        commands += geometry.obstacles.map { shape($0, obstacle) }
        commands += futures(traces)
        if traces.plan.count > 1 { commands.append(.polyline(traces.plan, width: planWidth, plan)) }
        if traces.executed.count > 1 { commands.append(.polyline(traces.executed, width: executedWidth, executed)) }
        commands.append(successRegion(geometry))
        commands += geometry.links.map { .polyline([$0.from, $0.to], width: linkWidth, link) }
        commands += geometry.joints.map { .fillCircle(center: $0, radius: .pixels(jointRadius), joint) }
        commands.append(.fillCircle(center: geometry.goal, radius: .pixels(goalRadius), goal))
        commands.append(.fillCircle(center: geometry.agent, radius: .pixels(agentRadius), agent))
        return commands
    }

    private func shape(_ obstacle: Obstacle, _ color: RGBA) -> DrawCommand {
        switch obstacle {
        case .rectangle(let box): return .fillRect(box, color)
        case .circle(let center, let radius): return .fillCircle(center: center, radius: .world(radius), color)
        }
    }

    private func futures(_ traces: SceneTraces) -> [DrawCommand] {
        if traces.futureColors.count == traces.futures.count {
            return zip(traces.futures, traces.futureColors).compactMap { future, color in
                future.count > 1 ? .polyline(future, width: futureWidth, color.withAlpha(min(color.a, futureAlpha))) : nil
            }
        }
        let costs = traces.futureCosts
        let hasCosts = costs.count == traces.futures.count
        let finite = hasCosts ? costs.filter(\.isFinite) : []
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        let shades = traces.futures.indices.map { i -> Double in
            guard hasCosts else { return 0.5 }
            // A diverged chain (NaN or infinite cost) is as bad as it gets.
            guard costs[i].isFinite else { return 1 }
            return high > low ? (costs[i] - low) / (high - low) : 0
        }
        // Ties keep chain order so pictures are reproducible.
        let order = traces.futures.indices.sorted { (shades[$0], $1) > (shades[$1], $0) }
        return order.compactMap { i in
            traces.futures[i].count > 1
                ? .polyline(traces.futures[i], width: futureWidth, futureRamp.rgba(at: shades[i], alpha: futureAlpha))
                : nil
        }
    }

    /// The set where the success rule holds: a disc for the Euclidean norm, a diamond for L1.
    private func successRegion(_ geometry: Geometry) -> DrawCommand {
        let g = geometry.goal, r = geometry.successRule.tolerance
        switch geometry.successRule.norm {
        case .l2:
            return .strokeCircle(center: g, radius: .world(r), width: toleranceWidth, goal)
        case .l1:
            let corners = [SIMD2(g.x + r, g.y), SIMD2(g.x, g.y + r), SIMD2(g.x - r, g.y), SIMD2(g.x, g.y - r)]
            return .polyline(corners + [corners[0]], width: toleranceWidth, goal)
        }
    }

    private func heatmapCells(_ heatmap: Heatmap) -> [DrawCommand] {
        let finite = heatmap.values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return [] }
        var cells: [DrawCommand] = []
        for row in 0..<heatmap.rows {
            for column in 0..<heatmap.columns {
                let value = heatmap.values[row * heatmap.columns + column]
                guard value.isFinite else { continue }
                let t = high > low ? (value - low) / (high - low) : 0
                cells.append(.fillRect(heatmap.cell(row: row, column: column), heatmapRamp.rgba(at: t)))
            }
        }
        return cells
    }
}
