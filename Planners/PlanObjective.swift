import EBMCore

/// A task cost seen as an `Energy` over flattened plans, so the core's one Langevin sampler
/// optimises plans exactly as it samples training negatives and images.
public struct PlanObjective: Energy {
    public var cost: any TaskCost
    public var shape: PlanShape

    public init(cost: any TaskCost, shape: PlanShape) {
        self.cost = cost
        self.shape = shape
    }

    private func plans(_ x: Tensor) -> Tensor {
        var s = shape
        s.chains = x.rows
        return x.reshaped(s.tensorShape)
    }

    public func energies(of x: Tensor) -> [Float] { cost.cost(plans(x)) }

    public func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor) {
        let (c, g) = cost.costAndGradient(plans(x))
        return (c, g.reshaped(x.shape))
    }
}
