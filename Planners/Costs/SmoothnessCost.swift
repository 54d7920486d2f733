import EBMCore
/// Penalises fast and jerky plans: w_v Σ_t ‖s_t+1 − s_t‖² + w_a Σ_t ‖s_t+2 − 2 s_t+1 + s_t‖²
/// over the chosen state coordinates (all by default).
public struct SmoothnessCost: TaskCost {
    public var velocityWeight: Float
    public var accelerationWeight: Float
    /// Coordinates included; nil means all.
    public var coordinates: [Int]?

    public init(velocityWeight: Float = 0.1, accelerationWeight: Float = 0.01, coordinates: [Int]? = nil) {
        self.velocityWeight = velocityWeight
        self.accelerationWeight = accelerationWeight
        self.coordinates = coordinates
    }

    public func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        costAndGradientByAccumulating(plans)
    }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        let shape = PlanShape(of: plans)
        let (d, t) = (shape.stateDimension, shape.horizon)
        let (wv, wa) = (velocityWeight, accelerationWeight)
        plans.scalars.withUnsafeBufferPointer { s in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                func add(coordinate i: Int, plan b: Int) -> Float {
                    let base = b * (t + 1) * d
                    var c: Float = 0
                    for k in 0..<t {
                        let v = s[base + (k + 1) * d + i] - s[base + k * d + i]
                        c += wv * v * v
                        g[base + (k + 1) * d + i] += 2 * wv * v
                        g[base + k * d + i] -= 2 * wv * v
                    }
                    if t >= 2 {
                        for k in 0..<(t - 1) {
                            let a = s[base + (k + 2) * d + i] - 2 * s[base + (k + 1) * d + i] + s[base + k * d + i]
                            c += wa * a * a
                            g[base + (k + 2) * d + i] += 2 * wa * a
                            g[base + (k + 1) * d + i] -= 4 * wa * a
                            g[base + k * d + i] += 2 * wa * a
                        }
                    }
                    return c
                }
                for b in 0..<shape.chains {
                    var c: Float = 0
                    if let coordinates {
                        for i in coordinates { c += add(coordinate: i, plan: b) }
                    } else {
                        for i in 0..<d { c += add(coordinate: i, plan: b) }
                    }
                    costs[b] += c
                }
            }
        }
    }
}
