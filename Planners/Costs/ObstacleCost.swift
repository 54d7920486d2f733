import EBMCore
import EBMEnvironments

/// Keeps plans out of obstacles given at plan time (never seen in training):
/// w · Σ_t Σ_o mean_j max(0, margin − sd_o(φ_t + (j/M)(φ_t+1 − φ_t)))², j = 1…M, with sd the
/// signed distance to the obstacle (negative inside) and φ_t the task-space point of state t.
///
/// Points along each segment between consecutive plan states are scored, not just the states:
/// a plan that jumps across an obstacle in one step pays for the part of the jump inside, so
/// neither a weak energy nor a coarse plan can cut through. (The deepest point of a segment
/// would be a cleaner measure but sits on the shape's medial axis, where the signed distance
/// has a kink and gradients are unreliable; a fixed quadrature keeps the cost differentiable.)
/// Zero beyond `margin`, growing quadratically towards and into the shape.
public struct ObstacleCost: TaskCost {
    public var obstacles: [Obstacle]
    public var weight: Float
    public var margin: Float
    public var map: TaskSpaceMap
    /// M: points scored per segment (the last one is the segment's end state).
    public var samplesPerSegment: Int

    public init(obstacles: [Obstacle], weight: Float = 1000, margin: Float = 0.05, map: TaskSpaceMap,
                samplesPerSegment: Int = 8) {
        self.obstacles = obstacles
        self.weight = weight
        self.margin = margin
        self.map = map
        self.samplesPerSegment = max(samplesPerSegment, 1)
    }

    /// Signed distance from (x, y) to the obstacle and its gradient (unit outward direction).
    static func signedDistance(_ o: Obstacle, _ x: Float, _ y: Float) -> (d: Float, gx: Float, gy: Float) {
        switch o {
        case let .circle(center, radius):
            let dx = x - Float(center.x), dy = y - Float(center.y)
            let r = (dx * dx + dy * dy).squareRoot()
            guard r > 1e-9 else { return (-Float(radius), 1, 0) }
            return (r - Float(radius), dx / r, dy / r)
        case let .rectangle(box):
            let lx = Float(box.lower.x), ly = Float(box.lower.y), ux = Float(box.upper.x), uy = Float(box.upper.y)
            let cx = (lx + ux) / 2, cy = (ly + uy) / 2, hx = (ux - lx) / 2, hy = (uy - ly) / 2
            let qx = abs(x - cx) - hx, qy = abs(y - cy) - hy
            let sx: Float = x >= cx ? 1 : -1, sy: Float = y >= cy ? 1 : -1
            if qx > 0 || qy > 0 {
                let ox = max(qx, 0), oy = max(qy, 0)
                let n = (ox * ox + oy * oy).squareRoot()
                return (n, sx * ox / n, sy * oy / n)
            }
            // Inside: the nearest face decides.
            return qx > qy ? (qx, sx, 0) : (qy, 0, sy)
        }
    }

    public func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        costAndGradientByAccumulating(plans)
    }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        let shape = PlanShape(of: plans)
        let (d, t) = (shape.stateDimension, shape.horizon)
        guard !obstacles.isEmpty else { return }
        let (ix, iy) = map.coordinates
        let m = samplesPerSegment
        let w = weight / Float(m)
        plans.scalars.withUnsafeBufferPointer { s in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                for b in 0..<shape.chains {
                    var c: Float = 0
                    var previous = map.point(s, at: b * (t + 1) * d)
                    for k in 1...t {
                        let o0 = (b * (t + 1) + k - 1) * d, o1 = (b * (t + 1) + k) * d
                        let p = map.point(s, at: o1)
                        for j in 1...m {
                            let u = Float(j) / Float(m)
                            let x = previous.x + u * (p.x - previous.x), y = previous.y + u * (p.y - previous.y)
                            for obstacle in obstacles {
                                let (sd, gx, gy) = Self.signedDistance(obstacle, x, y)
                                let depth = margin - sd
                                guard depth > 0 else { continue }
                                c += w * depth * depth
                                // ∂/∂(sample point) = −2w·depth·∇sd, shared by the ends as (1 − u, u).
                                let fx = -2 * w * depth * gx, fy = -2 * w * depth * gy
                                g[o0 + ix] += (1 - u) * (fx * previous.dx.0 + fy * previous.dy.0)
                                g[o0 + iy] += (1 - u) * (fx * previous.dx.1 + fy * previous.dy.1)
                                g[o1 + ix] += u * (fx * p.dx.0 + fy * p.dy.0)
                                g[o1 + iy] += u * (fx * p.dx.1 + fy * p.dy.1)
                            }
                        }
                        previous = p
                    }
                    costs[b] += c
                }
            }
        }
    }
}
