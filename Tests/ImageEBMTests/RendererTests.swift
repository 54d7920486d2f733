import EBMCore
import Foundation
import ImageEBM
import Testing

@Suite("Shape renderer")
struct RendererTests {
    /// Area (sum of coverage) and centre of mass of one rendered sprite, in pixels.
    private func moments(_ image: [Float], size: Int) -> (area: Double, x: Float, y: Float) {
        let (x, y) = ImageMetrics.centreOfMass(image[...], size: size)
        return (image.reduce(0) { $0 + Double($1) }, x, y)
    }

    @Test(arguments: ShapeKind.allCases)
    func renderedAreaAndCentroidMatchTheGeometry(shape: ShapeKind) {
        let renderer = ShapeRenderer(size: 32, supersampling: 8)
        for (scale, rotation, x, y) in [(Float(1), Float(0), Float(0.5), Float(0.5)), (0.5, 0.7, 0.2, 0.9), (0.8, 2.5, 1, 0)] {
            let factors = ShapeFactors(shape: shape, scale: scale, rotation: rotation, x: x, y: y)
            let (area, cx, cy) = moments(renderer.render(factors), size: 32)
            let radius = Double(renderer.radius(scale: scale))
            let expected = shape.unitArea * radius * radius
            #expect(abs(area - expected) / expected < 0.02, "\(shape) area \(area), expected \(expected)")
            let (tx, ty) = renderer.pixelPosition(of: factors)
            #expect(abs(cx - tx) < 0.06 && abs(cy - ty) < 0.06, "\(shape) centroid (\(cx), \(cy)), expected (\(tx), \(ty))")
        }
    }

    @Test func analyticAreasOfTheUnitShapes() {
        #expect(abs(ShapeKind.square.unitArea - 2) < 1e-6)
        #expect(abs(ShapeKind.ellipse.unitArea - Double.pi / 2) < 1e-6)
        #expect(abs(ShapeKind.triangle.unitArea - 3 * 3.0.squareRoot() / 4) < 1e-9)
        // The heart has no closed form: check its stated area against a fresh quadrature of the
        // membership test, and that it fits the unit disk.
        let n = 800
        var inside = 0
        for i in 0..<n {
            for j in 0..<n {
                let u = -1 + 2 * (Float(j) + 0.5) / Float(n), v = -1 + 2 * (Float(i) + 0.5) / Float(n)
                if ShapeKind.heart.contains(u, v) {
                    inside += 1
                    #expect(u * u + v * v <= 1.0001)
                }
            }
        }
        let area = 4 * Double(inside) / Double(n * n)
        #expect(abs(area - ShapeKind.heart.unitArea) / area < 0.01, "quadrature \(area), stated \(ShapeKind.heart.unitArea)")
    }

    @Test func rotationIsCounterClockwiseOnScreen() {
        let renderer = ShapeRenderer(size: 32, supersampling: 1)
        let ellipse = renderer.render(ShapeFactors(shape: .ellipse, scale: 1, rotation: .pi / 4, x: 0.5, y: 0.5))
        // Centre (16, 16), long axis 8 px: at 45° CCW it runs up-right (row decreases as x grows).
        #expect(ellipse[(16 - 4) * 32 + (16 + 4)] == 1)
        #expect(ellipse[(16 + 4) * 32 + (16 + 4)] == 0)
        let square = ShapeFactors(shape: .square, scale: 0.8, rotation: 0, x: 0.5, y: 0.5)
        var quarter = square
        quarter.rotation = .pi / 2
        #expect(renderer.render(square) == renderer.render(quarter))
    }

    @Test func binaryRenderingAndNoClippingAtTheEdges() {
        let renderer = ShapeRenderer(size: 16, supersampling: 1)
        for shape in ShapeKind.allCases {
            for (x, y) in [(Float(0), Float(0)), (1, 1), (0, 1)] {
                let image = renderer.render(ShapeFactors(shape: shape, scale: 1, rotation: 0.3, x: x, y: y))
                #expect(image.allSatisfy { $0 == 0 || $0 == 1 })
                let fine = ShapeRenderer(size: 16, supersampling: 8).render(ShapeFactors(shape: shape, scale: 1, rotation: 0.3, x: x, y: y))
                let radius = Double(renderer.radius(scale: 1))
                let area = fine.reduce(0) { $0 + Double($1) }
                #expect(abs(area - shape.unitArea * radius * radius) / area < 0.05, "\(shape) at (\(x), \(y)) is clipped")
            }
        }
    }

    @Test func datasetBatchesAreSeededAndOnTheGrid() {
        let data = ShapeDataset(size: 16, rotationLevels: 8, positionLevels: 5)
        var a = RNG(seed: 3), b = RNG(seed: 3)
        let (x1, f1) = data.batch(10, rng: &a)
        let (x2, f2) = data.batch(10, rng: &b)
        #expect(x1 == x2 && f1 == f2)
        #expect(x1.shape == [10, 1, 16, 16])
        for f in f1 {
            #expect(ShapeKind.training.contains(f.shape))
            #expect(data.scales.contains(f.scale))
            #expect([0, 0.25, 0.5, 0.75, 1].contains(f.x) && [0, 0.25, 0.5, 0.75, 1].contains(f.y))
        }
        #expect(data.candidateLabels(for: .position).count == 25)
        #expect(data.candidateLabels(for: .rotation).count == 8)
        #expect(data.candidateLabels(for: .scale).count == 6)
    }
}

@Suite("Label encodings")
struct LabelEncodingTests {
    @Test func everyConditionEncodesItsFactor() {
        let f = ShapeFactors(shape: .heart, scale: 0.7, rotation: .pi / 3, x: 0.25, y: 0.75)
        #expect(ImageCondition.shape.encode(f) == [0, 0, 1])
        #expect(ImageCondition.scale.encode(f) == [0.7])
        #expect(ImageCondition.position.encode(f) == [0.25, 0.75])
        let r = ImageCondition.rotation.encode(f)
        #expect(abs(r[0] - 0.5) < 1e-6 && abs(r[1] - 3.0.squareRoot().float / 2) < 1e-6)
        #expect(ImageCondition.none.encode(f).isEmpty)
        var triangle = f
        triangle.shape = .triangle
        #expect(ImageCondition.shape.encode(triangle) == [0, 0, 0])
        #expect(ImageCondition.allCases.allSatisfy { $0.encode(f).count == $0.labelWidth })
    }

    @Test func batchLabelsAreOneRowPerImage() {
        let fs = [ShapeFactors(shape: .square, scale: 1, rotation: 0, x: 0, y: 1),
                  ShapeFactors(shape: .ellipse, scale: 0.5, rotation: 0, x: 1, y: 0)]
        #expect(ImageCondition.shape.labels(fs) == Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 0]))
        #expect(ImageCondition.position.labels(fs) == Tensor(shape: [2, 2], scalars: [0, 1, 1, 0]))
        #expect(ImageCondition.none.labels(fs) == nil)
    }

    @Test func mismatchedLabelsDescribeAnotherSprite() {
        let data = ShapeDataset(size: 16)
        var rng = RNG(seed: 21)
        func iou(_ a: [Float], _ b: [Float]) -> Float {
            let both = zip(a, b).filter { $0 >= 0.5 && $1 >= 0.5 }.count
            let either = zip(a, b).filter { $0 >= 0.5 || $1 >= 0.5 }.count
            return Float(both) / Float(either)
        }
        for _ in 0..<50 {
            let f = data.randomFactors(rng: &rng)
            let shape = data.mismatchedLabel(for: f, condition: .shape, rng: &rng)
            #expect(shape.reduce(0, +) == 1 && shape != ImageCondition.shape.encode(f))
            let position = data.mismatchedLabel(for: f, condition: .position, rng: &rng)
            var moved = f
            (moved.x, moved.y) = (position[0], position[1])
            #expect(iou(data.renderer.render(f), data.renderer.render(moved)) < 0.5)
            #expect(data.mismatchedLabel(for: f, condition: .none, rng: &rng).isEmpty)
        }
    }
}

private extension Double { var float: Float { Float(self) } }
