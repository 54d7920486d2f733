import Foundation

/// LeakyReLU: x for x > 0, slope·x otherwise (slope 0.2 in both seed systems).
public final class LeakyReLU: Layer {
    public let slope: Float
    private var input = Tensor(zeros: [0])

    public init(slope: Float = 0.2) { self.slope = slope }

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        input = x
        var out = x
        let s = slope
        out.scalars.withUnsafeMutableBufferPointer { o in
            for i in o.indices where o[i] < 0 { o[i] *= s }
        }
        return out
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        var dx = g
        let s = slope
        input.scalars.withUnsafeBufferPointer { x in
            dx.scalars.withUnsafeMutableBufferPointer { d in
                for i in d.indices where x[i] < 0 { d[i] *= s }
            }
        }
        return dx
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
        var out = x
        sigmoid.withUnsafeMutableBufferPointer { sg in
            out.scalars.withUnsafeMutableBufferPointer { o in
                for i in o.indices {
                    let s = 1 / (1 + expf(-o[i]))
                    sg[i] = s
                    o[i] *= s
                }
            }
        }
        return out
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
