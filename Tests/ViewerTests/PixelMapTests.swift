import EBMEnvironments
import EBMRender
import Testing

@Suite("World→pixel map")
struct PixelMapTests {
    let map = PixelMap(width: 200, height: 100, region: Box(xmin: -1, ymin: -2, xmax: 3, ymax: 2))

    @Test func cornersAndCentreLandWhereTheSVGDocumentPutsThem() {
        let svg = SVGDocument(width: 200, height: 100, xRange: -1...3, yRange: -2...2)
        for p in [SIMD2(-1.0, 2), SIMD2(3.0, -2), SIMD2(1.0, 0), SIMD2(0.37, -1.21)] {
            let expected = svg.pixel(p.x, p.y)
            #expect(map.pixel(p) == SIMD2(expected.x, expected.y))
        }
        #expect(map.pixel(SIMD2(-1, 2)) == SIMD2(0, 0))
        #expect(map.pixel(SIMD2(3, -2)) == SIMD2(200, 100))
    }

    @Test func worldInvertsPixel() {
        let p = SIMD2(0.625, -1.375)
        let back = map.world(map.pixel(p))
        #expect(abs(back.x - p.x) < 1e-12 && abs(back.y - p.y) < 1e-12)
    }

    @Test func pixelIndexIsTheContainingPixel() {
        // (0, 0) is 1/4 across and half-way down: continuous (50, 50), so column 50, row 50.
        #expect(map.pixelIndex(SIMD2(0, 0)).map { [$0.column, $0.row] } == [50, 50])
        #expect(map.pixelIndex(SIMD2(-0.99, 1.99)).map { [$0.column, $0.row] } == [0, 0])
        #expect(map.pixelIndex(SIMD2(3, 0)) == nil)
        #expect(map.pixelIndex(SIMD2(0, -2.5)) == nil)
    }

    @Test func sceneRegionPadsTheBoundsSoTheBorderIsVisible() {
        let geometry = Particle().geometry
        let scene = Scene(geometry: geometry)
        let pad = 2 * Scene.marginFraction
        #expect(scene.region == Box(xmin: -1 - pad, ymin: -1 - pad, xmax: 1 + pad, ymax: 1 + pad))
        let corner = scene.pixelMap(width: 640, height: 640).pixel(SIMD2(-1, 1))
        #expect(corner.x > 5 && corner.y > 5)
    }
}
