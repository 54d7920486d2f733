/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random draw in the toolkit goes through this type so that a run is a function of its
/// seed. `stream` gives independent generators from one seed (one per chain, worker or
/// environment) without any shared state.
public struct RNG: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    private var spareGaussian: Float?

    /// A generator for `seed`; different `stream`s of one seed are independent.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var x = seed &+ stream &* 0xD1B5_4A32_D192_ED03
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * uniform() }

    /// Uniform Double in [0, 1) with 53 random bits.
    public mutating func uniformDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform Double in [low, high).
    public mutating func uniformDouble(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniformDouble() }

    /// Standard normal draw (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func gaussian() -> Float {
        if let g = spareGaussian { spareGaussian = nil; return g }
        // 1 - u keeps the logarithm finite.
        let u1 = 1 - uniformDouble()
        let u2 = uniformDouble()
        let r = (-2 * _log(u1)).squareRoot()
        let (sin, cos) = sinCos(2 * Double.pi * u2)
        spareGaussian = Float(r * sin)
        return Float(r * cos)
    }

    /// Integer uniform in 0..<bound.
    public mutating func index(below bound: Int) -> Int { Int(next(upperBound: UInt64(bound))) }

    /// Fills `buffer` with independent standard normal draws scaled by `scale`.
    public mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>, scale: Float = 1) {
        for i in buffer.indices { buffer[i] = scale * gaussian() }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
#endif
