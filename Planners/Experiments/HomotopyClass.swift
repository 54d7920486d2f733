import EBMEnvironments

/// Which way a path from a start to a goal gets past an obstacle: the homotopy class of the
/// path in the plane with the obstacle removed, for paths that stay on one side of it.
///
/// Seen from the start looking at the goal, a path passes `left` or `right` when its states
/// level with the obstacle (those whose projection on the start→goal axis falls within the
/// obstacle's extent along it) lie on average on that side of the axis; `through` when any
/// state is inside the obstacle; `short` when no state gets level with the obstacle, so the
/// path does not decide a class yet.
public enum HomotopyClass: String, Codable, CaseIterable, Sendable {
    case left, right, through, short

    /// The class of `path` (goal-space points) around `obstacle` for the start→goal axis.
    public init(path: [SIMD2<Double>], start: SIMD2<Double>, goal: SIMD2<Double>, obstacle: Obstacle) {
        let axis = goal - start
        let length = (axis * axis).sum().squareRoot()
        guard length > 0 else {
            self = .short
            return
        }
        let u = axis / length
        func along(_ p: SIMD2<Double>) -> Double { ((p - start) * u).sum() }
        func across(_ p: SIMD2<Double>) -> Double { u.x * (p.y - start.y) - u.y * (p.x - start.x) }
        let extent: ClosedRange<Double>
        switch obstacle {
        case let .rectangle(box):
            let corners = [box.lower, box.upper, SIMD2(box.lower.x, box.upper.y), SIMD2(box.upper.x, box.lower.y)].map(along)
            extent = corners.min()!...corners.max()!
        case let .circle(center, radius):
            extent = (along(center) - radius)...(along(center) + radius)
        }
        if path.contains(where: obstacle.contains) {
            self = .through
            return
        }
        let level = path.filter { extent.contains(along($0)) }.map(across)
        guard !level.isEmpty else {
            self = .short
            return
        }
        self = level.reduce(0, +) > 0 ? .left : .right
    }

    /// Whether the class says how the path gets past the obstacle.
    public var passes: Bool { self == .left || self == .right }
}
