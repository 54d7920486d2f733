import CEBMKernels

/// sin(x) and cos(x) with one libm call: the same bits as the two separate calls at about the
/// price of one (Box–Muller draws, angle features and forward kinematics need both).
@inline(__always)
public func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
    var s = 0.0, c = 0.0
    ebm_sincos(x, &s, &c)
    return (s, c)
}

/// The Float form of `sinCos`.
@inline(__always)
public func sinCos(_ x: Float) -> (sin: Float, cos: Float) {
    var s: Float = 0, c: Float = 0
    ebm_sincosf(x, &s, &c)
    return (s, c)
}
