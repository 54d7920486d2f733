import EBMCore

/// Σ_t E(s_t, s_t+1) over each plan: the learned world model as a cost on state sequences.
///
/// All B·T transitions of a batch go through the network as one matrix, so one forward and
/// one input-gradient pass serve a whole Langevin iteration.
public struct TransitionEnergyCost: TaskCost {
    /// An energy network over rows [s_t, s_t+1].
    public let network: Network
    public var weight: Float

    public init(network: Network, weight: Float = 1) {
        self.network = network
        self.weight = weight
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
            weight * e[(c * shape.horizon)..<((c + 1) * shape.horizon)].reduce(0, +)
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
                        sum += e[c * t + k]
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
