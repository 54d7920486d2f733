import Foundation

/// A dSprites-like sprite: the three training shapes and a held-out one for out-of-distribution
/// tests.
///
/// Each shape lives in unit local coordinates (u to the right, v downwards, as image rows run),
/// centred on its centroid and fitting inside the unit disk, so a sprite of radius R placed at a
/// pixel position never leaves a margin of R and its centre of mass is that position.
public enum ShapeKind: String, Codable, CaseIterable, Sendable {
    case square, ellipse, heart
    /// Held out of training: the out-of-distribution shape.
    case triangle

    /// The shapes models are trained on, in label order (the one-hot index is the position here).
    public static let training: [ShapeKind] = [.square, .ellipse, .heart]

    /// Index in `training`, nil for the held-out shape.
    public var labelIndex: Int? { Self.training.firstIndex(of: self) }

    /// How many rotations map the shape onto itself (4 for the square, 2 for the ellipse…).
    public var rotationalSymmetry: Int {
        switch self {
        case .square: return 4
        case .ellipse: return 2
        case .heart: return 1
        case .triangle: return 3
        }
    }

    /// Half the square's side: its corners touch the unit circle.
    static let squareHalfSide = Float(0.5.squareRoot())
    /// Semi-axes of the ellipse (along u, along v).
    static let ellipseAxes: (Float, Float) = (1, 0.5)

    /// Whether the local point (u, v) is inside the shape.
    @inline(__always)
    public func contains(_ u: Float, _ v: Float) -> Bool {
        switch self {
        case .square:
            return abs(u) <= Self.squareHalfSide && abs(v) <= Self.squareHalfSide
        case .ellipse:
            let (a, b) = Self.ellipseAxes
            return (u / a) * (u / a) + (v / b) * (v / b) <= 1
        case .heart:
            let h = HeartGeometry.shared
            return HeartGeometry.rawContains(u * h.radius + h.centroidX, -(v * h.radius) + h.centroidY)
        case .triangle:
            // Equilateral, apex up, circumradius 1: inside all three half-planes whose edges
            // lie at distance 1/2 from the centre.
            for k in 0..<3 {
                let angle = Float.pi / 2 + Float(k) * 2 * Float.pi / 3
                if -(u * cosf(angle) - v * sinf(angle)) > 0.5 { return false }
            }
            return true
        }
    }

    /// Exact area of the unit shape (the heart's by fine quadrature of its implicit curve).
    public var unitArea: Double {
        switch self {
        case .square: return 4 * Double(Self.squareHalfSide * Self.squareHalfSide)
        case .ellipse: return Double.pi * Double(Self.ellipseAxes.0 * Self.ellipseAxes.1)
        case .heart:
            let h = HeartGeometry.shared
            return h.rawArea / Double(h.radius * h.radius)
        case .triangle: return 3 * 3.0.squareRoot() / 4
        }
    }
}

/// The heart (x² + y² − 1)³ − x²y³ ≤ 0 (y up), recentred on its centroid and scaled into the
/// unit disk. Its centroid and extent have no closed form, so they are integrated once.
struct HeartGeometry: Sendable {
    let centroidX: Float
    let centroidY: Float
    /// Largest distance from the centroid to the curve, in raw units.
    let radius: Float
    /// Area in raw units.
    let rawArea: Double

    static let shared = HeartGeometry()

    @inline(__always)
    static func rawContains(_ x: Float, _ y: Float) -> Bool {
        let r = x * x + y * y - 1
        return r * r * r - x * x * y * y * y <= 0
    }

    private init() {
        // The raw heart lies in [−1.2, 1.2] × [−1.1, 1.3]; a 2000² midpoint grid puts its
        // centroid within 1e-3 of the truth, far below a pixel at any canvas size used here.
        let n = 2000
        let (x0, x1, y0, y1) = (-1.2, 1.2, -1.1, 1.3)
        let dx = (x1 - x0) / Double(n), dy = (y1 - y0) / Double(n)
        var count = 0.0, sx = 0.0, sy = 0.0
        var inside: [(Double, Double)] = []
        for i in 0..<n {
            let y = y0 + (Double(i) + 0.5) * dy
            for j in 0..<n {
                let x = x0 + (Double(j) + 0.5) * dx
                if Self.rawContains(Float(x), Float(y)) {
                    count += 1; sx += x; sy += y
                    // Only boundary candidates matter for the radius; keep a sparse subset.
                    if i % 4 == 0 && j % 4 == 0 { inside.append((x, y)) }
                }
            }
        }
        let cx = sx / count, cy = sy / count
        var r2 = 0.0
        for (x, y) in inside { r2 = max(r2, (x - cx) * (x - cx) + (y - cy) * (y - cy)) }
        centroidX = Float(cx)
        centroidY = Float(cy)
        // A 1 % allowance covers points between the sparse grid nodes.
        radius = Float(r2.squareRoot() * 1.01)
        rawArea = count * dx * dy
    }
}
