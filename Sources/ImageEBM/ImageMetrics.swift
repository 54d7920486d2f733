import EBMCore
import Foundation

/// Quality measures computed against the renderer's own ground truth.
public enum ImageMetrics {
    /// The intensity-weighted centre of mass of a `size × size` image in pixel coordinates
    /// (x right, y down; pixel centres at +0.5), pixel values clamped to [0, 1]. An all-zero
    /// image has its mass at the canvas centre.
    public static func centreOfMass(_ image: ArraySlice<Float>, size: Int) -> (x: Float, y: Float) {
        var mass: Double = 0, sx: Double = 0, sy: Double = 0
        for (k, raw) in image.enumerated() {
            let v = Double(min(max(raw, 0), 1))
            mass += v
            sx += v * (Double(k % size) + 0.5)
            sy += v * (Double(k / size) + 0.5)
        }
        guard mass > 0 else { return (Float(size) / 2, Float(size) / 2) }
        return (Float(sx / mass), Float(sy / mass))
    }

    /// Distance in pixels between each image's centre of mass and the position its factors (or
    /// position label) asked for.
    public static func positionErrors(_ images: Tensor, targets: [ShapeFactors], renderer: ShapeRenderer) -> [Float] {
        let size = renderer.size
        let area = size * size
        precondition(images.count == targets.count * area, "one target per image")
        return targets.enumerated().map { i, factors in
            let (x, y) = centreOfMass(images.scalars[(i * area)..<((i + 1) * area)], size: size)
            let (tx, ty) = renderer.pixelPosition(of: factors)
            return ((x - tx) * (x - tx) + (y - ty) * (y - ty)).squareRoot()
        }
    }

    /// Mean squared error between `a` and `b` over the coordinates where `region` is true (all
    /// coordinates when nil), per row, averaged over rows. Both tensors have the same shape;
    /// `region` has one flag per coordinate of a row.
    public static func meanSquaredError(_ a: Tensor, _ b: Tensor, region: [Bool]? = nil) -> Float {
        precondition(a.shape == b.shape, "MSE of tensors of shapes \(a.shape) and \(b.shape)")
        let width = a.rowWidth
        if let region { precondition(region.count == width, "region has \(region.count) flags for rows of \(width)") }
        var sum: Double = 0
        var count = 0
        for i in 0..<a.count where region?[i % width] ?? true {
            let d = Double(a.scalars[i] - b.scalars[i])
            sum += d * d
            count += 1
        }
        return count == 0 ? 0 : Float(sum / Double(count))
    }

    /// Area under the ROC curve for telling `positive` scores (in distribution) from `negative`
    /// ones: the probability that a random positive outscores a random negative, ties counting
    /// one half (the Mann–Whitney statistic, what `sklearn.roc_auc_score` computes).
    public static func auroc(positive: [Float], negative: [Float]) -> Double {
        precondition(!positive.isEmpty && !negative.isEmpty, "AUROC needs both classes")
        let all = (positive.map { ($0, true) } + negative.map { ($0, false) }).sorted { $0.0 < $1.0 }
        // Ranks from 1, ties sharing their mean rank.
        var rankSum = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let meanRank = Double(i + j + 2) / 2
            for k in i...j where all[k].1 { rankSum += meanRank }
            i = j + 1
        }
        let np = Double(positive.count), nn = Double(negative.count)
        return (rankSum - np * (np + 1) / 2) / (np * nn)
    }
}
