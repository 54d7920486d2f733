import EBMEnvironments
import EBMRender
import Testing

@Suite("Scene → draw commands and back-ends")
struct SceneStyleTests {
    let style = SceneStyle.standard
    let scene = SceneFixtures.particleWithFutures()

    func polylineColors(_ commands: [DrawCommand]) -> [RGBA] {
        commands.compactMap { if case let .polyline(_, _, color) = $0 { return color } else { return nil } }
    }

    @Test func futuresAreDrawnMostExpensiveFirstOnTheCostRamp() {
        let colors = polylineColors(style.commands(for: scene))
        // Border, then futures (costs 9, 5, 1 → ramp 1, 0.5, 0), plan, executed, success diamond.
        let ramp = style.futureRamp, alpha = style.futureAlpha
        #expect(Array(colors[1...3]) == [ramp.rgba(at: 1, alpha: alpha), ramp.rgba(at: 0.5, alpha: alpha),
                                         ramp.rgba(at: 0, alpha: alpha)])
        #expect(Array(colors[4...6]) == [style.plan, style.executed, style.goal])
    }

    @Test func futuresWithoutMatchingCostsUseTheMiddleColour() {
        var unpriced = scene
        unpriced.traces.futureCosts = [1]
        let colors = polylineColors(style.commands(for: unpriced))
        #expect(Set(colors[1...3]) == [style.futureRamp.rgba(at: 0.5, alpha: style.futureAlpha)])
    }

    @Test func goalAndAgentAreDrawnLastAndHeatmapFirst() {
        var withHeatmap = scene
        withHeatmap.heatmap = Heatmap(region: scene.geometry.bounds, rows: 2, columns: 2, values: [0, 1, .nan, 3])
        let commands = style.commands(for: withHeatmap)
        #expect(commands.prefix(3) == [
            .fillRect(Box(xmin: -1, ymin: 0, xmax: 0, ymax: 1), style.heatmapRamp.rgba(at: 0)),
            .fillRect(Box(xmin: 0, ymin: 0, xmax: 1, ymax: 1), style.heatmapRamp.rgba(at: 1.0 / 3)),
            .fillRect(Box(xmin: 0, ymin: -1, xmax: 1, ymax: 0), style.heatmapRamp.rgba(at: 1)),
        ])
        #expect(commands.suffix(2) == [
            .fillCircle(center: SIMD2(0.6, 0.6), radius: .pixels(style.goalRadius), style.goal),
            .fillCircle(center: SIMD2(-0.6, -0.6), radius: .pixels(style.agentRadius), style.agent),
        ])
    }

    @Test func rasterPictureShowsEachPartAtItsWorldPosition() throws {
        let canvas = RasterCanvas(scene: scene, width: 320, height: 320)
        func color(at x: Double, _ y: Double) throws -> RGBA {
            let index = try #require(canvas.map.pixelIndex(SIMD2(x, y)))
            return canvas.image[index.column, index.row]
        }
        #expect(try color(at: 0.6, 0.6) == style.goal)
        #expect(try color(at: -0.6, -0.6) == style.agent)
        #expect(try color(at: 0.1, -0.15) == style.obstacle)
        #expect(try color(at: -0.6, 0) == style.plan)
        #expect(try color(at: 0, -0.6) == style.futureRamp.rgba(at: 0.5, alpha: style.futureAlpha).over(style.background))
        #expect(try color(at: 0.5, -0.3) == style.background)
    }

    @Test func armIsDrawnWithLinksAndJoints() throws {
        var reacher = Reacher()
        try reacher.reset(seed: 0, start: SIMD4(0, 0, 0, 0), goal: SIMD2(0, 0.15))
        let canvas = RasterCanvas(scene: Scene(geometry: reacher.geometry), width: 200, height: 200)
        // The arm lies along +x: link 1 from 0 to 0.1, link 2 from 0.1 to 0.21.
        for x in [0.05, 0.16] {
            let index = try #require(canvas.map.pixelIndex(SIMD2(x, 0)))
            #expect(canvas.image[index.column, index.row] == style.link)
        }
        let base = try #require(canvas.map.pixelIndex(.zero))
        #expect(canvas.image[base.column, base.row] == style.joint)
    }

    @Test func svgDocumentDrawsTheSameCommands() {
        let svg = SVGDocument(scene: scene, width: 320, height: 320).rendered
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 7)
        #expect(svg.contains("fill=\"\(style.goal.hex)\""))
        #expect(svg.contains("fill=\"\(style.obstacle.hex)\""))
        #expect(svg.contains("<rect width=\"320\" height=\"320\" fill=\"\(style.background.hex)\"/>"))
    }
}
