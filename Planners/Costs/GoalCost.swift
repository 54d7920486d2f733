import EBMCore
import Foundation
/// Pull towards a goal in goal space, late states weighted most:
/// w · Σ_{t=1..T} (t/T)^p · ‖φ(s_t) − g‖².
public struct GoalCost: TaskCost {
    public var goal: SIMD2<Float>
    public var weight: Float
    /// p in the time weight (t/T)^p; the seed code's 4.
    public var power: Float
    public var map: TaskSpaceMap

    public init(goal: SIMD2<Float>, weight: Float = 1, power: Float = 4, map: TaskSpaceMap) {
        self.goal = goal
        self.weight = weight
        self.power = power
        self.map = map
    }

    public func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        costAndGradientByAccumulating(plans)
    }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        let t = plans.shape[1] - 1
        // The time weights are the same for every plan: one powf per step, not per plan and step.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: t + 1) { weights in
            for k in 1...t { weights[k] = weight * powf(Float(k) / Float(t), power) }
            accumulate(plans, weights: UnsafeBufferPointer(weights), costs: &costs, gradient: &gradient)
        }
    }

    private func accumulate(_ plans: Tensor, weights: UnsafeBufferPointer<Float>, costs: inout [Float], gradient: inout Tensor) {
        let shape = PlanShape(of: plans)
        let (d, t) = (shape.stateDimension, shape.horizon)
        let (ix, iy) = map.coordinates
        plans.scalars.withUnsafeBufferPointer { s in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                for b in 0..<shape.chains {
                    var c: Float = 0
                    for k in 1...t {
                        let wk = weights[k]
                        let o = (b * (t + 1) + k) * d
                        let p = map.point(s, at: o)
                        let ex = p.x - goal.x, ey = p.y - goal.y
                        c += wk * (ex * ex + ey * ey)
                        let w2 = 2 * wk
                        g[o + ix] += w2 * (ex * p.dx.0 + ey * p.dy.0)
                        g[o + iy] += w2 * (ex * p.dx.1 + ey * p.dy.1)
                    }
                    costs[b] += c
                }
            }
        }
    }
}
