import EBMCore

/// Σ_t E(s_t, s_t+1) over each plan: the learned world model as a cost on state sequences —
/// or, with a feasible level θ, Σ_t max(0, E − θ): the model as a constraint.
///
/// Below θ (most observed transitions lie there) a transition costs nothing, so plans do not
/// chase the energy's small preferences among feasible moves — slow moves, back-and-forth
/// steps, well-visited places — which over a long horizon add up to more than the goal's
/// pull and stall the plan; above it, the price rises as the energy does.
///
/// All B·T transitions of a batch go through the network as one matrix, so one forward and
/// one input-gradient pass serve a whole Langevin iteration.
public struct TransitionEnergyCost: TaskCost {
    /// An energy network over rows [s_t, s_t+1].
    public let network: Network
    public var weight: Float
    /// θ (nil: plain Σ E).
    public var feasibleLevel: Float?

    public init(network: Network, weight: Float = 1, feasibleLevel: Float? = nil) {
        self.network = network
        self.weight = weight
        self.feasibleLevel = feasibleLevel
    }

    /// What a transition of energy `e` costs before the weight.
    @inline(__always) private func price(_ e: Float) -> Float {
        guard let level = feasibleLevel else { return e }
        return max(0, e - level)
    }

    /// Rows [s_t, s_t+1] for every transition of every plan, plan-major.
    static func pairs(_ plans: Tensor) -> Tensor {
        let shape = PlanShape(of: plans)
        let (b, t, d) = (shape.chains, shape.horizon, shape.stateDimension)
        let count = b * t * 2 * d
        // Every element is written below, so the storage skips the zero fill.
        let out = [Float](unsafeUninitializedCapacity: count) { o, initialized in
            plans.scalars.withUnsafeBufferPointer { s in
                for c in 0..<b {
                    for k in 0..<t {
                        let src = (c * (t + 1) + k) * d
                        let dst = (c * t + k) * 2 * d
                        for i in 0..<(2 * d) { o[dst + i] = s[src + i] }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [b * t, 2 * d], scalars: out)
    }

    /// Energy of every transition, `[B, T]` plan-major.
    public func transitionEnergies(_ plans: Tensor) -> [Float] { network.energies(of: Self.pairs(plans)) }

    public func cost(_ plans: Tensor) -> [Float] {
        let shape = PlanShape(of: plans)
        let e = transitionEnergies(plans)
        return (0..<shape.chains).map { c in
            weight * e[(c * shape.horizon)..<((c + 1) * shape.horizon)].reduce(0) { $0 + price($1) }
        }
    }

    public func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        costAndGradientByAccumulating(plans)
    }

    public func accumulateCostAndGradient(_ plans: Tensor, costs: inout [Float], gradient: inout Tensor) {
        let shape = PlanShape(of: plans)
        let (b, t, d) = (shape.chains, shape.horizon, shape.stateDimension)
        let (e, g) = network.energiesAndGradient(at: Self.pairs(plans))
        let w = weight
        g.scalars.withUnsafeBufferPointer { gp in
            gradient.scalars.withUnsafeMutableBufferPointer { o in
                for c in 0..<b {
                    var sum: Float = 0
                    for k in 0..<t {
                        let ek = e[c * t + k]
                        sum += price(ek)
                        if let level = feasibleLevel, ek <= level { continue }
                        let src = (c * t + k) * 2 * d
                        let dst = (c * (t + 1) + k) * d
                        for i in 0..<(2 * d) { o[dst + i] += w * gp[src + i] }
                    }
                    costs[c] += w * sum
                }
            }
        }
    }
}
