/// A scalar energy per sample: low means plausible.
///
/// The batch is the first axis of `x`; `energies(of:)` returns one value per row and the
/// gradient's row `i` is ∂E_i/∂x_i. Langevin sampling, planning and training negatives all
/// sample from an `Energy`, so a user's energy plugs into every one of them.
public protocol Energy {
    /// Energy of every row of `x`.
    func energies(of x: Tensor) -> [Float]
    /// Energy of every row of `x` and its gradient with respect to `x`.
    func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor)
}

extension Network: Energy {
    public func energies(of x: Tensor) -> [Float] { conditioned(on: nil).energies(of: x) }

    public func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor) {
        conditioned(on: nil).energiesAndGradient(at: x)
    }

    /// The network's energy with the conditioning labels fixed (one label row per sample).
    public func conditioned(on labels: Tensor?) -> ConditionedEnergy { ConditionedEnergy(network: self, labels: labels) }
}

/// A network energy with its conditioning labels bound.
public struct ConditionedEnergy: Energy {
    public let network: Network
    public let labels: Tensor?

    public func energies(of x: Tensor) -> [Float] {
        precondition(network.outputShape == [1], "an energy network must end in one output, not \(network.outputShape)")
        return network.forward(x, labels: labels).scalars
    }

    public func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor) {
        let e = energies(of: x)
        let g = network.backward(network.unitOutputGradient(rows: x.rows), .inputs)
        return (e, g.reshaped(x.shape))
    }
}

/// The sum of several energies over the same variable: composition of separately trained
/// models, or an energy plus a task cost.
public struct SumEnergy: Energy {
    public var terms: [any Energy]
    public init(_ terms: [any Energy]) { self.terms = terms }

    public func energies(of x: Tensor) -> [Float] {
        var total = [Float](repeating: 0, count: x.rows)
        for term in terms {
            for (i, e) in term.energies(of: x).enumerated() { total[i] += e }
        }
        return total
    }

    public func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor) {
        var total = [Float](repeating: 0, count: x.rows)
        var gradient = Tensor(zeros: x.shape)
        for term in terms {
            let (e, g) = term.energiesAndGradient(at: x)
            for i in total.indices { total[i] += e[i] }
            for i in gradient.scalars.indices { gradient.scalars[i] += g.scalars[i] }
        }
        return (total, gradient)
    }
}
