/// 2×2 average pooling with stride 2 on NCHW batches, IGEBM's residual-block downsampling.
///
/// Height and width must be even: IGEBM's sizes always are, and an odd edge would need a
/// padding rule the reference never defines.
public final class AvgPool2x2: Layer {
    private var inputShape: [Int] = [0]

    public init() {}

    public func outputShape(for inputShape: [Int]) -> [Int] {
        precondition(inputShape.count == 3, "AvgPool2x2 expects samples [C, H, W], got \(inputShape)")
        Self.requireEven(height: inputShape[1], width: inputShape[2])
        return [inputShape[0], inputShape[1] / 2, inputShape[2] / 2]
    }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        precondition(x.shape.count == 4, "AvgPool2x2 expects [B, C, H, W], got \(x.shape)")
        Self.requireEven(height: x.shape[2], width: x.shape[3])
        inputShape = x.shape
        let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (h / 2, w / 2)
        var out = Tensor(zeros: [x.shape[0], x.shape[1], oh, ow])
        x.scalars.withUnsafeBufferPointer { xp in
            out.scalars.withUnsafeMutableBufferPointer { o in
                for p in 0..<planes {
                    for i in 0..<oh {
                        let top = p * h * w + 2 * i * w, bottom = top + w, dst = (p * oh + i) * ow
                        for j in 0..<ow {
                            o[dst + j] = 0.25 * (xp[top + 2 * j] + xp[top + 2 * j + 1] + xp[bottom + 2 * j] + xp[bottom + 2 * j + 1])
                        }
                    }
                }
            }
        }
        return out
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        let (planes, h, w) = (inputShape[0] * inputShape[1], inputShape[2], inputShape[3])
        let (oh, ow) = (h / 2, w / 2)
        precondition(g.count == planes * oh * ow, "AvgPool2x2 gradient has \(g.count) scalars, expected \(planes * oh * ow)")
        var dx = Tensor(zeros: inputShape)
        g.scalars.withUnsafeBufferPointer { gp in
            dx.scalars.withUnsafeMutableBufferPointer { d in
                for p in 0..<planes {
                    for i in 0..<oh {
                        let top = p * h * w + 2 * i * w, bottom = top + w, src = (p * oh + i) * ow
                        for j in 0..<ow {
                            let v = 0.25 * gp[src + j]
                            d[top + 2 * j] = v
                            d[top + 2 * j + 1] = v
                            d[bottom + 2 * j] = v
                            d[bottom + 2 * j + 1] = v
                        }
                    }
                }
            }
        }
        return dx
    }

    /// Stops on odd sizes even in release builds, which use -Ounchecked and so drop
    /// `precondition`; an odd size would otherwise silently pool the wrong pixels.
    private static func requireEven(height: Int, width: Int) {
        guard height % 2 == 0 && width % 2 == 0 else {
            fatalError("AvgPool2x2 needs even height and width, got \(height)×\(width)")
        }
    }
}

/// Sum over all spatial positions of each channel, `[B, C, H, W]` → `[B, C]`: IGEBM's global
/// pooling before the energy head (a sum, not a mean, so the energy scales with image area).
public final class GlobalSumPool: Layer {
    private var inputShape: [Int] = [0]

    public init() {}

    public func outputShape(for inputShape: [Int]) -> [Int] {
        precondition(inputShape.count >= 2, "GlobalSumPool expects samples [C, spatial…], got \(inputShape)")
        return [inputShape[0]]
    }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        precondition(x.shape.count >= 3, "GlobalSumPool expects [B, C, spatial…], got \(x.shape)")
        inputShape = x.shape
        let planes = x.shape[0] * x.shape[1]
        let area = x.shape.dropFirst(2).reduce(1, *)
        var out = Tensor(zeros: [x.shape[0], x.shape[1]])
        x.scalars.withUnsafeBufferPointer { xp in
            out.scalars.withUnsafeMutableBufferPointer { o in
                for p in 0..<planes {
                    var sum: Float = 0
                    for i in (p * area)..<((p + 1) * area) { sum += xp[i] }
                    o[p] = sum
                }
            }
        }
        return out
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        let planes = inputShape[0] * inputShape[1]
        let area = inputShape.dropFirst(2).reduce(1, *)
        precondition(g.count == planes, "GlobalSumPool gradient has \(g.count) scalars, expected \(planes)")
        var dx = Tensor(zeros: inputShape)
        g.scalars.withUnsafeBufferPointer { gp in
            dx.scalars.withUnsafeMutableBufferPointer { d in
                for p in 0..<planes {
                    let v = gp[p]
                    for i in (p * area)..<((p + 1) * area) { d[i] = v }
                }
            }
        }
        return dx
    }
}
