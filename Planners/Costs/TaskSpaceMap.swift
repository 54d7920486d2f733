import EBMCore
import Foundation

/// Where a state is in the planar goal space, and how that point moves with the state.
public enum TaskSpaceMap: Codable, Equatable, Sendable {
    /// Two state coordinates are the point (particle and maze: x = s[0], y = s[1]).
    case coordinates(x: Int, y: Int)
    /// Fingertip of a two-link planar arm with joint angles s[0], s[1].
    case fingertip(link1: Float, link2: Float)

    /// The point for `state` (D values starting at `offset` in `scalars`) and its Jacobian
    /// rows ∂x/∂s and ∂y/∂s, written into `jx`/`jy` for the first two joint coordinates or
    /// the two named coordinates.
    @inline(__always)
    func point(_ s: UnsafeBufferPointer<Float>, at offset: Int) -> (x: Float, y: Float, dx: (Float, Float), dy: (Float, Float)) {
        switch self {
        case let .coordinates(ix, iy):
            return (s[offset + ix], s[offset + iy], (1, 0), (0, 1))
        case let .fingertip(l1, l2):
            let q1 = s[offset], q12 = s[offset] + s[offset + 1]
            let (s1, c1) = sinCos(q1), (s12, c12) = sinCos(q12)
            let x = l1 * c1 + l2 * c12, y = l1 * s1 + l2 * s12
            // ∂x/∂q1, ∂x/∂q2 and ∂y/∂q1, ∂y/∂q2.
            return (x, y, (-y, -l2 * s12), (x, l2 * c12))
        }
    }

    /// State coordinates the two Jacobian entries refer to.
    var coordinates: (Int, Int) {
        switch self {
        case let .coordinates(x, y): return (x, y)
        case .fingertip: return (0, 1)
        }
    }

    /// The map's point of a state given as an array (for reports and drawing).
    public func point(of state: [Float]) -> SIMD2<Float> {
        state.withUnsafeBufferPointer { p in
            let r = point(p, at: 0)
            return SIMD2(r.x, r.y)
        }
    }
}
