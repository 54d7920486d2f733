import CEBMKernels

/// LeakyReLU: x for x > 0, slope·x otherwise (slope 0.2 in both seed systems).
public final class LeakyReLU: Layer {
    public let slope: Float
    private var input = Tensor(zeros: [0])

    public init(slope: Float = 0.2) { self.slope = slope }

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        input = x
        let s = slope
        // Written straight into fresh storage: copying x first and then mutating would be two passes.
        return Tensor(shape: x.shape) { o in
            x.scalars.withUnsafeBufferPointer { xs in
                for i in xs.indices { o[i] = xs[i] < 0 ? xs[i] * s : xs[i] }
            }
        }
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        let s = slope
        return Tensor(shape: g.shape) { d in
            input.scalars.withUnsafeBufferPointer { x in
                g.scalars.withUnsafeBufferPointer { gs in
                    for i in gs.indices { d[i] = x[i] < 0 ? gs[i] * s : gs[i] }
                }
            }
        }
    }
}

/// Swish (SiLU): x·sigmoid(x).
public final class Swish: Layer {
    private var input = Tensor(zeros: [0])
    private var sigmoid: [Float] = []

    public init() {}

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        input = x
        if sigmoid.count != x.count { sigmoid = [Float](repeating: 0, count: x.count) }
        // One vectorised pass (`ebm_swish`) writes both the output and the kept sigmoid.
        return Tensor(shape: x.shape) { out in
            x.scalars.withUnsafeBufferPointer { xs in
                sigmoid.withUnsafeMutableBufferPointer { ebm_swish(xs.count, xs.baseAddress!, out, $0.baseAddress!) }
            }
        }
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        var dx = g
        input.scalars.withUnsafeBufferPointer { x in
            sigmoid.withUnsafeBufferPointer { sg in
                dx.scalars.withUnsafeMutableBufferPointer { d in
                    // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
                    for i in d.indices { d[i] *= sg[i] * (1 + x[i] * (1 - sg[i])) }
                }
            }
        }
        return dx
    }
}
