import EBMCore

/// Keeps each planned step within the actuator's reach:
/// w · Σ_t Σ_{i ∈ coordinates} max(0, |s_t+1,i − s_t,i| − reach)².
///
/// The reach is the action limits (the particle moves at most 0.05 per coordinate a step), not
/// knowledge of the world: it knows no walls or obstacles. The standard presets are given it;
/// online training learns it as the longest step observed (`OnlineTrainer.observedReach`).
/// It is needed because the learned energy is flat beyond the reach (≈ +0.5 for any longer
/// step), so nothing pulls an infeasible jump back, and a jump past an obstacle's corner is
/// then executed as a clipped step along it, which is blocked. The hinge is zero for feasible steps, so it never competes with the energy
/// inside the reach.
public struct StepLimitCost: TaskCost {
    public var reach: Float
    public var weight: Float
    /// The state coordinates the limit applies to (positions; nil: all).
    public var coordinates: [Int]?

    public init(reach: Float, weight: Float, coordinates: [Int]? = nil) {
        self.reach = reach
        self.weight = weight
        self.coordinates = coordinates
    }

    public func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        costAndGradientByAccumulating(plans)
    }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        let shape = PlanShape(of: plans)
        let (d, t) = (shape.stateDimension, shape.horizon)
        let limited = coordinates ?? Array(0..<d)
        plans.scalars.withUnsafeBufferPointer { s in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                for b in 0..<shape.chains {
                    var c: Float = 0
                    for k in 0..<t {
                        let o0 = (b * (t + 1) + k) * d, o1 = o0 + d
                        for i in limited {
                            let v = s[o1 + i] - s[o0 + i]
                            let excess = abs(v) - reach
                            guard excess > 0 else { continue }
                            c += weight * excess * excess
                            let f = 2 * weight * excess * (v >= 0 ? 1 : -1)
                            g[o1 + i] += f
                            g[o0 + i] -= f
                        }
                    }
                    costs[b] += c
                }
            }
        }
    }
}
