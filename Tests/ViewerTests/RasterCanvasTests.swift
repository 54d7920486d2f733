import EBMEnvironments
import EBMRender
import Testing

@Suite("Raster canvas")
struct RasterCanvasTests {
    /// 100 × 100 pixels over [−1, 1]²: 50 pixels per world unit, pixel centres at k/50 − 1 + 0.01.
    let map = PixelMap(width: 100, height: 100, region: Box(xmin: -1, ymin: -1, xmax: 1, ymax: 1))
    let white = RGBA(255, 255, 255), red = RGBA(255, 0, 0)

    func painted(_ canvas: RasterCanvas) -> Set<[Int]> {
        var set = Set<[Int]>()
        for row in 0..<canvas.image.height {
            for column in 0..<canvas.image.width where canvas.image[column, row] != white { set.insert([column, row]) }
        }
        return set
    }

    @Test func filledRectangleCoversExactlyItsPixels() {
        var canvas = RasterCanvas(map: map, background: white)
        canvas.fillRect(Box(xmin: -0.5, ymin: -0.2, xmax: 0.5, ymax: 0.3), red)
        // x: pixels 25..<75; y (down): top edge 0.3 → 35, bottom edge −0.2 → 60.
        let covered = painted(canvas)
        #expect(covered.map { $0[0] }.min() == 25 && covered.map { $0[0] }.max() == 74)
        #expect(covered.map { $0[1] }.min() == 35 && covered.map { $0[1] }.max() == 59)
        #expect(covered.count == 50 * 25)
        #expect(canvas.image[25, 35] == red)
    }

    @Test func adjacentRectanglesTileWithoutGapOrOverlap() {
        var canvas = RasterCanvas(map: map, background: white)
        let half = RGBA(0, 0, 255, 128)
        canvas.fillRect(Box(xmin: -0.51, ymin: -0.5, xmax: 0.013, ymax: 0.5), half)
        canvas.fillRect(Box(xmin: 0.013, ymin: -0.5, xmax: 0.49, ymax: 0.5), half)
        let colours = Set((0..<100).map { canvas.image[$0, 50] }.filter { $0 != white })
        #expect(colours == [half.over(white)])
    }

    @Test func worldPointIsPaintedInTheExpectedPixel() {
        var canvas = RasterCanvas(map: map, background: white)
        let p = SIMD2(0.31, -0.47)
        canvas.fillCircle(center: p, radius: .pixels(0.8), red)
        let index = try! #require(map.pixelIndex(p))
        #expect([index.column, index.row] == [65, 73])
        #expect(painted(canvas) == [[65, 73]])
    }

    @Test func circlesCoverCentresWithinTheRadius() {
        var canvas = RasterCanvas(map: map, background: white)
        canvas.fillCircle(center: .zero, radius: .world(0.2), red)
        let covered = painted(canvas)
        // Radius 10 pixels around (50, 50): area close to π·10².
        #expect(abs(Double(covered.count) - Double.pi * 100) < 20)
        #expect(covered.contains([50, 50]) && covered.contains([59, 50]) && !covered.contains([61, 50]))
    }

    @Test func translucentPolylineIsBlendedOncePerPixel() {
        var canvas = RasterCanvas(map: map, background: white)
        let faint = RGBA(0, 0, 0, 100)
        // A zig-zag whose thick segments overlap around every joint.
        canvas.polyline([SIMD2(-0.8, 0), SIMD2(0, 0.02), SIMD2(-0.8, 0.04), SIMD2(0, 0.06)], width: 6, faint)
        let colours = Set(painted(canvas).map { canvas.image[$0[0], $0[1]] })
        #expect(colours == [faint.over(white)])
    }

    @Test func nonFiniteAndOffCanvasInputIsSkippedNotFatal() {
        var canvas = RasterCanvas(map: map, background: white)
        canvas.polyline([SIMD2(.nan, 0), SIMD2(0, .infinity), SIMD2(50, 50), SIMD2(60, 60)], width: 3, red)
        canvas.fillCircle(center: SIMD2(.nan, 0), radius: .world(1), red)
        canvas.fillRect(Box(xmin: -.infinity, ymin: 0, xmax: 0, ymax: 1), red)
        #expect(painted(canvas).isEmpty)
    }

    @Test func sameSceneGivesTheSameBytes() throws {
        let scene = SceneFixtures.particleWithFutures()
        let a = RasterCanvas(scene: scene, width: 160, height: 160)
        let b = RasterCanvas(scene: scene, width: 160, height: 160)
        #expect(try a.image.encoded() == b.image.encoded())
        #expect(DecodedPNG(try a.image.encoded())?.image == a.image)
    }
}
