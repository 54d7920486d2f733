import EBMCore

/// Central finite differences against a layer's or network's analytic backward pass.
///
/// The scalar checked is L = Σ w ⊙ f(x) for a fixed random w, so every output element and
/// every path through the layer contributes. Differences are taken in Float32 with a step
/// large enough to sit above rounding noise and small enough to keep truncation error below
/// the tolerance; a wrong sign or a missing term is off by O(1) relative error and fails.
struct GradientCheck {
    var epsilon: Float = 1e-2
    var relativeTolerance: Float = 2e-2
    var absoluteTolerance: Float = 2e-3

    /// Returns the worst mismatch (nil when all within tolerance) for input and parameters.
    static func weights(count: Int, seed: UInt64) -> [Float] {
        var rng = RNG(seed: seed)
        return (0..<count).map { _ in rng.uniform(-1, 1) }
    }

    struct Mismatch: CustomStringConvertible {
        var what: String
        var index: Int
        var analytic: Float
        var numeric: Float
        var description: String { "\(what)[\(index)]: analytic \(analytic) vs finite difference \(numeric)" }
    }

    /// Checks ∂L/∂x and ∂L/∂θ of `forward`/`backward` closures around the point `x`.
    /// `forward` runs the model on its argument; `backward` receives ∂L/∂output and returns
    /// ∂L/∂x while accumulating parameter gradients into `parameters`.
    func check(
        input x: Tensor,
        parameters: [Parameter],
        forward: (Tensor) -> Tensor,
        backward: (Tensor) -> Tensor,
        afterParameterChange: () -> Void = {}
    ) -> [Mismatch] {
        let y = forward(x)
        let w = Self.weights(count: y.count, seed: 99)
        func loss(_ out: Tensor) -> Float {
            var s: Double = 0
            for i in out.scalars.indices { s += Double(w[i]) * Double(out.scalars[i]) }
            return Float(s)
        }
        parameters.forEach { $0.zeroGradient() }
        _ = forward(x)
        let dx = backward(Tensor(shape: y.shape, scalars: w))
        var mismatches: [Mismatch] = []
        func compare(_ what: String, _ i: Int, _ analytic: Float, _ numeric: Float) {
            if abs(analytic - numeric) > absoluteTolerance + relativeTolerance * max(abs(analytic), abs(numeric)) {
                mismatches.append(Mismatch(what: what, index: i, analytic: analytic, numeric: numeric))
            }
        }
        for i in x.scalars.indices {
            var xp = x, xm = x
            xp.scalars[i] += epsilon
            xm.scalars[i] -= epsilon
            let numeric = (loss(forward(xp)) - loss(forward(xm))) / (2 * epsilon)
            compare("input", i, dx.scalars[i], numeric)
        }
        for p in parameters where p.isTrainable {
            let analytic = p.gradient
            for i in p.value.scalars.indices {
                let saved = p.value.scalars[i]
                p.value.scalars[i] = saved + epsilon
                afterParameterChange()
                let lp = loss(forward(x))
                p.value.scalars[i] = saved - epsilon
                afterParameterChange()
                let lm = loss(forward(x))
                p.value.scalars[i] = saved
                afterParameterChange()
                compare(p.name, i, analytic.scalars[i], (lp - lm) / (2 * epsilon))
            }
        }
        return mismatches
    }

    /// Checks one layer (inputs and all trainable parameters).
    func check(layer: Layer, input x: Tensor, labels: Tensor? = nil) -> [Mismatch] {
        check(input: x, parameters: layer.parameters,
              forward: { layer.forward($0, labels: labels) },
              backward: { layer.backward($0, .all) },
              afterParameterChange: { layer.parametersDidChange() })
    }

    /// Checks a whole network.
    func check(network: Network, input x: Tensor, labels: Tensor? = nil) -> [Mismatch] {
        check(input: x, parameters: network.parameters,
              forward: { network.forward($0, labels: labels) },
              backward: { network.backward($0, .all) },
              afterParameterChange: { network.parametersDidChange() })
    }
}

/// A batch of uniform values in [low, high) with the given shape.
func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = RNG(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in rng.uniform(low, high) })
}
