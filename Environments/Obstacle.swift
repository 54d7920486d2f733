/// A solid planar obstacle: an axis-aligned rectangle or a circle (closed sets).
///
/// Blocking is decided by exact intersection of the swept segment of a move with the shape,
/// so a move that cuts through a corner is blocked even when both of its endpoints are outside.
public enum Obstacle: Sendable, Hashable {
    /// The rectangle `[xmin, ymin, xmax, ymax]`.
    case rectangle(Box)
    /// The disc of `radius` around `center`.
    case circle(center: SIMD2<Double>, radius: Double)

    /// Parses the command-line / JSON form: four numbers `[xmin, ymin, xmax, ymax]` for a
    /// rectangle, three numbers `[cx, cy, r]` for a circle. The result is validated.
    public init(_ values: [Double]) throws {
        switch values.count {
        case 4: self = .rectangle(Box(xmin: values[0], ymin: values[1], xmax: values[2], ymax: values[3]))
        case 3: self = .circle(center: SIMD2(values[0], values[1]), radius: values[2])
        default:
            throw EnvironmentError.invalidObstacle(
                "obstacle \(formatList(values)) has \(values.count) numbers; expected [xmin, ymin, xmax, ymax] or [cx, cy, r]")
        }
        self = try validated()
    }

    /// The obstacle itself if its numbers are finite and it has positive extent.
    public func validated() throws -> Obstacle {
        switch self {
        case .rectangle(let box):
            if !box.bounds.allSatisfy(\.isFinite) {
                throw EnvironmentError.invalidObstacle("rectangle \(formatList(box.bounds)) has a non-finite bound")
            }
            if box.lower.x >= box.upper.x {
                throw EnvironmentError.invalidObstacle(
                    "rectangle \(formatList(box.bounds)) has xmin ≥ xmax; expected [xmin, ymin, xmax, ymax]")
            }
            if box.lower.y >= box.upper.y {
                throw EnvironmentError.invalidObstacle(
                    "rectangle \(formatList(box.bounds)) has ymin ≥ ymax; expected [xmin, ymin, xmax, ymax]")
            }
        case .circle(let center, let radius):
            if !(center.x.isFinite && center.y.isFinite && radius.isFinite) {
                throw EnvironmentError.invalidObstacle("\(self) has a non-finite number")
            }
            if radius <= 0 {
                throw EnvironmentError.invalidObstacle("\(self) has radius \(radius); expected a positive radius")
            }
        }
        return self
    }

    /// Whether `p` lies in the closed shape (boundary included).
    public func contains(_ p: SIMD2<Double>) -> Bool {
        switch self {
        case .rectangle(let box): return box.contains(p)
        case .circle(let center, let radius): return squaredLength(p - center) <= radius * radius
        }
    }

    /// Whether the closed segment from `a` to `b` meets the closed shape.
    ///
    /// Rectangle: Liang–Barsky clipping of the segment's parameter interval against both slabs.
    /// Circle: distance from the centre to the closest point of the segment.
    public func intersects(segmentFrom a: SIMD2<Double>, to b: SIMD2<Double>) -> Bool {
        let d = b - a
        switch self {
        case .rectangle(let box):
            var enter = 0.0, exit = 1.0
            for axis in 0..<2 {
                if d[axis] == 0 {
                    // Parallel to this slab: inside it for the whole segment or never.
                    if a[axis] < box.lower[axis] || a[axis] > box.upper[axis] { return false }
                } else {
                    let t0 = (box.lower[axis] - a[axis]) / d[axis]
                    let t1 = (box.upper[axis] - a[axis]) / d[axis]
                    enter = max(enter, min(t0, t1))
                    exit = min(exit, max(t0, t1))
                    if enter > exit { return false }
                }
            }
            return true
        case .circle(let center, let radius):
            let lengthSquared = squaredLength(d)
            let t = lengthSquared == 0 ? 0 : min(max(((center - a) * d).sum() / lengthSquared, 0), 1)
            return squaredLength(a + t * d - center) <= radius * radius
        }
    }

    /// Signed Euclidean distance from `p` to the boundary: negative inside, positive outside.
    /// Task costs that keep plans away from obstacles read this.
    public func signedDistance(to p: SIMD2<Double>) -> Double {
        switch self {
        case .rectangle(let box):
            // Per axis: distance past the box's half-extent (negative inside).
            let center: SIMD2<Double> = (box.lower + box.upper) * 0.5
            let halfExtent: SIMD2<Double> = (box.upper - box.lower) * 0.5
            let offset: SIMD2<Double> = p - center
            let q = SIMD2(abs(offset.x), abs(offset.y)) - halfExtent
            let outside = squaredLength(SIMD2(max(q.x, 0), max(q.y, 0))).squareRoot()
            return outside + min(max(q.x, q.y), 0)
        case .circle(let center, let radius):
            return squaredLength(p - center).squareRoot() - radius
        }
    }
}

extension Obstacle: CustomStringConvertible {
    public var description: String {
        switch self {
        case .rectangle(let box): return "rectangle \(formatList(box.bounds))"
        case .circle(let center, let radius): return "circle (cx \(center.x), cy \(center.y), r \(radius))"
        }
    }
}

@inline(__always) func squaredLength(_ v: SIMD2<Double>) -> Double { (v * v).sum() }

/// `[a, b, c]` with Swift's shortest round-trip formatting, for one-line error messages.
func formatList(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

