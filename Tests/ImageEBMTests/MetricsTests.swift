import EBMCore
import Foundation
import ImageEBM
import Testing

@Suite("Image metrics")
struct MetricsTests {
    @Test func aurocOfHandComputedScoreLists() {
        #expect(ImageMetrics.auroc(positive: [3, 4, 5], negative: [0, 1, 2]) == 1)
        #expect(ImageMetrics.auroc(positive: [0, 1], negative: [2, 3]) == 0)
        #expect(ImageMetrics.auroc(positive: [1, 1], negative: [1, 1, 1]) == 0.5)
        // Pairs won: 0.9 beats both, 0.8 beats both, 0.4 beats 0.3 only: 5 of 6.
        #expect(abs(ImageMetrics.auroc(positive: [0.9, 0.8, 0.4], negative: [0.5, 0.3]) - 5.0 / 6) < 1e-12)
        // With a tie: (1 vs 2) 0, (1 vs 0) 1, (2 vs 2) ½, (2 vs 0) 1 → 2.5 of 4.
        #expect(ImageMetrics.auroc(positive: [1, 2], negative: [2, 0]) == 0.625)
    }

    @Test func centreOfMassAndPositionError() {
        var image = [Float](repeating: 0, count: 8 * 8)
        image[2 * 8 + 5] = 1
        let (x, y) = ImageMetrics.centreOfMass(image[...], size: 8)
        #expect(x == 5.5 && y == 2.5)
        image[2 * 8 + 6] = 3   // clamped to 1: the mass sits between the two pixels
        #expect(ImageMetrics.centreOfMass(image[...], size: 8).x == 6)
        #expect(ImageMetrics.centreOfMass([Float](repeating: 0, count: 64)[...], size: 8) == (4, 4))

        let renderer = ShapeRenderer(size: 32, supersampling: 8)
        let target = ShapeFactors(shape: .ellipse, scale: 0.9, rotation: 1, x: 0.3, y: 0.6)
        var moved = target
        moved.x = 0.3 + 3 / (32 - 2 * renderer.margin)   // 3 px to the right
        let images = renderer.render([target, moved])
        let errors = ImageMetrics.positionErrors(images, targets: [target, target], renderer: renderer)
        #expect(errors[0] < 0.05 && abs(errors[1] - 3) < 0.05, "\(errors)")
    }

    @Test func meanSquaredErrorOverARegion() {
        let a = Tensor(shape: [2, 4], scalars: [0, 0, 0, 0, 1, 1, 1, 1])
        let b = Tensor(shape: [2, 4], scalars: [0, 0, 1, 1, 1, 1, 1, 3])
        #expect(ImageMetrics.meanSquaredError(a, b) == 6.0 / 8)
        #expect(ImageMetrics.meanSquaredError(a, b, region: [false, false, true, true]) == 6.0 / 4)
        #expect(ImageMetrics.meanSquaredError(a, b, region: [true, true, false, false]) == 0)
    }

    @Test(arguments: [16, 32])
    func templateMatcherRecognisesRenderedSprites(size: Int) {
        let data = ShapeDataset(size: size)
        let matcher = ShapeMatcher(data: data)
        var rng = RNG(seed: 11)
        let (images, factors) = data.batch(60, rng: &rng)
        let matches = matcher.match(batch: images)
        let accuracy = Double(zip(matches, factors).filter { $0.0.shape == $0.1.shape }.count) / 60
        let iou = matches.map { Double($0.iou) }.reduce(0, +) / 60
        print("matcher \(size)×\(size): accuracy \(accuracy), mean IoU \(iou)")
        #expect(accuracy >= (size >= 32 ? 0.95 : 0.8))
        #expect(iou > 0.8)
        // Outliers: an empty image has no shape; noise fits no template well.
        #expect(matcher.match([Float](repeating: 0, count: size * size)[...]).shape == nil)
    }

    /// A speck matches some template by a small IoU: it counts towards the accuracy when that
    /// template happens to have the target's shape, but it is never recognised as the shape.
    @Test func shapeRecognisedNeedsTheRightShapeAndASprite() {
        let data = ShapeDataset(size: 16)
        let quality = ImageQuality(data: data)
        var rng = RNG(seed: 12)
        let (sprites, factors) = data.batch(6, rng: &rng)
        let own = quality.measure(sprites, targets: factors, conditions: [.shape])
        #expect(own["shape_accuracy"] == own["shape_recognised"] && own["shape_recognised"]! > 0.8)
        var speck = [Float](repeating: 0, count: 256)
        speck[8 * 16 + 8] = 1
        let match = quality.matcher.match(speck[...])
        let target = ShapeFactors(shape: match.shape!, scale: 1, rotation: 0, x: 0.5, y: 0.5)
        let metrics = quality.measure(Tensor(shape: [1, 1, 16, 16], scalars: speck), targets: [target], conditions: [.shape])
        #expect(match.iou < 0.5)
        #expect(metrics["shape_accuracy"] == 1 && metrics["shape_recognised"] == 0)
        #expect(SampleProbe.score(metrics, condition: .shape) == 0)
    }
}
