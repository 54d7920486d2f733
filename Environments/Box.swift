/// A closed axis-aligned rectangle [xmin, xmax] × [ymin, ymax] in world units.
///
/// Used for rectangular obstacles, maze walls and the drawable extent of a workspace. The
/// corners are given explicitly (lower-left, upper-right) rather than as top/left/bottom/right,
/// so a swapped pair cannot silently produce an empty box; `Obstacle.validated()` rejects
/// boxes whose lower corner is not strictly below and left of the upper one.
public struct Box: Sendable, Hashable {
    /// The corner with the smallest coordinates (xmin, ymin).
    public var lower: SIMD2<Double>
    /// The corner with the largest coordinates (xmax, ymax).
    public var upper: SIMD2<Double>

    public init(xmin: Double, ymin: Double, xmax: Double, ymax: Double) {
        lower = SIMD2(xmin, ymin)
        upper = SIMD2(xmax, ymax)
    }

    /// `[xmin, ymin, xmax, ymax]`.
    public var bounds: [Double] { [lower.x, lower.y, upper.x, upper.y] }

    /// Whether `p` lies in the closed box (boundary included).
    public func contains(_ p: SIMD2<Double>) -> Bool {
        p.x >= lower.x && p.x <= upper.x && p.y >= lower.y && p.y <= upper.y
    }

    /// `p` moved to the nearest point of the box.
    public func clamped(_ p: SIMD2<Double>) -> SIMD2<Double> {
        p.clamped(lowerBound: lower, upperBound: upper)
    }
}
