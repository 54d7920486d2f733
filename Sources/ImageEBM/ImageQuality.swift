import EBMCore
import Foundation

/// Scores generated images against the factors they were asked to show, using only the
/// renderer's ground truth: centre-of-mass position error and template-matched shape, scale
/// and rotation.
public struct ImageQuality: Sendable {
    public let data: ShapeDataset
    public let matcher: ShapeMatcher

    public init(data: ShapeDataset) {
        self.data = data
        matcher = ShapeMatcher(data: data)
    }

    /// Metrics of `images` (`[B, 1, S, S]`) against `targets`, for each factor in `conditions`:
    /// - always `mean_iou` (best template IoU) and `recognisable` (fraction with IoU ≥ 0.5);
    /// - `.position`: `position_error_px`, the mean centre-of-mass distance in pixels;
    /// - `.shape`: `shape_accuracy`, the fraction whose best template has the target shape, and
    ///   `shape_recognised`, the fraction whose best template has it and overlaps by IoU ≥ 0.5
    ///   (a blob matches some template: a collapsed model still scores a third on accuracy);
    /// - `.scale`: `scale_error`, the mean |matched − target| scale;
    /// - `.rotation`: `rotation_error_deg`, the mean angle between matched and target rotation
    ///   modulo the target shape's symmetry.
    public func measure(_ images: Tensor, targets: [ShapeFactors], conditions: [ImageCondition]) -> [String: Double] {
        precondition(images.rows == targets.count, "one target per image")
        let matches = matcher.match(batch: images)
        var metrics: [String: Double] = [
            "mean_iou": mean(matches.map { Double($0.iou) }),
            "recognisable": mean(matches.map { $0.isRecognisable ? 1 : 0 }),
        ]
        for condition in Set(conditions) {
            switch condition {
            case .none:
                break
            case .position:
                metrics["position_error_px"] = mean(ImageMetrics.positionErrors(images, targets: targets, renderer: data.renderer).map(Double.init))
            case .shape:
                metrics["shape_accuracy"] = mean(zip(matches, targets).map { $0.0.shape == $0.1.shape ? 1 : 0 })
                metrics["shape_recognised"] = mean(zip(matches, targets).map { $0.0.shape == $0.1.shape && $0.0.isRecognisable ? 1 : 0 })
            case .scale:
                metrics["scale_error"] = mean(zip(matches, targets).map { Double(abs($0.0.scale - $0.1.scale)) })
            case .rotation:
                metrics["rotation_error_deg"] = mean(zip(matches, targets).map { match, target in
                    let period = 2 * Double.pi / Double(target.shape.rotationalSymmetry)
                    var d = (Double(match.rotation) - Double(target.rotation)).truncatingRemainder(dividingBy: period)
                    if d < 0 { d += period }
                    return min(d, period - d) * 180 / Double.pi
                })
            }
        }
        return metrics
    }

    private func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
}
