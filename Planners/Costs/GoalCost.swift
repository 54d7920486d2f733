import EBMCore
import Foundation
/// Pull towards a goal in goal space, late states weighted most:
/// w · Σ_{t=1..T} (t/T)^p · ρ(‖φ(s_t) − g‖) with ρ(r) = r² (SPEC §6) or the pseudo-Huber
/// √(r² + δ²) − δ; given an arrival step a, the time weight is (min(t, a)/a)^p.
public struct GoalCost: TaskCost {
    public var goal: SIMD2<Float>
    public var weight: Float
    /// p in the time weight (t/T)^p; the seed code's 4.
    public var power: Float
    public var map: TaskSpaceMap
    /// The step by which the plan can be at the goal (nil: the horizon T). The time weights then
    /// rise to 1 at that step and stay there: with (t/T)^p alone, a plan that needs 10 of T = 80
    /// steps loses almost nothing by waiting first, and a controller replanning every step
    /// would wait for ever.
    public var arrival: Int?
    public var distance: Distance

    /// How the distance to the goal is priced.
    public enum Distance: Codable, Equatable, Sendable {
        /// r²: the seed code's; its pull fades near the goal.
        case squared
        /// √(r² + δ²) − δ: quadratic within δ, linear beyond, so the pull keeps its strength
        /// until the goal is within δ and does not grow without bound far from it.
        case pseudoHuber(delta: Float)
    }

    public init(goal: SIMD2<Float>, weight: Float = 1, power: Float = 4, map: TaskSpaceMap, distance: Distance = .squared) {
        self.goal = goal
        self.weight = weight
        self.power = power
        self.map = map
        self.distance = distance
    }

    public func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        costAndGradientByAccumulating(plans)
    }

    public func arriving(by step: Int) -> any TaskCost {
        var cost = self
        cost.arrival = step
        return cost
    }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        let t = plans.shape[1] - 1
        // The time weights are the same for every plan: one powf per step, not per plan and step.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: t + 1) { weights in
            let a = max(arrival ?? t, 1)
            for k in 1...t { weights[k] = weight * powf(Float(min(k, a)) / Float(a), power) }
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
                        let r2 = ex * ex + ey * ey
                        let slope: Float  // dρ/d(r²) · 2
                        switch distance {
                        case .squared:
                            c += wk * r2
                            slope = 2 * wk
                        case let .pseudoHuber(delta):
                            let root = (r2 + delta * delta).squareRoot()
                            c += wk * (root - delta)
                            slope = wk / root
                        }
                        g[o + ix] += slope * (ex * p.dx.0 + ey * p.dy.0)
                        g[o + iy] += slope * (ex * p.dx.1 + ey * p.dy.1)
                    }
                    costs[b] += c
                }
            }
        }
    }
}
