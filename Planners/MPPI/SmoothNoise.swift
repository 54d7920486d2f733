import EBMCore

/// Smooth correlated noise over T time steps: δ ~ N(0, (AᵀA)⁻¹), scaled by σ when sampled.
///
/// A is the seed code's (T+2)×T second-difference matrix: rows δ_k − 2δ_k−1 + δ_k−2 with
/// δ_−1 = δ_−2 = 0 (so perturbations start at zero offset and grow smoothly), its row T zeroed
/// and its last row δ_T−2 − δ_T−1 (the terminal velocity). Accelerations are penalised, not
/// offsets, so the per-step std grows with t (for T = 20 from 1 at t = 1 to ≈ 27.7 at t = 20):
/// the start stays put, the far end explores. The Cholesky factor L (L·Lᵀ = (AᵀA)⁻¹) is
/// computed once per horizon; a draw is L·z with z standard normal.
public struct SmoothNoise: Equatable, Sendable {
    public let horizon: Int
    /// L, row-major T×T, lower triangular.
    let factor: [Float]

    public init(horizon: Int) {
        precondition(horizon >= 1, "smooth noise needs a horizon of at least 1, got \(horizon)")
        self.horizon = horizon
        let t = horizon
        var precision = [Double](repeating: 0, count: t * t)
        let a = Self.secondDifferenceMatrix(horizon: t)
        for row in a {
            for i in 0..<t where row[i] != 0 {
                for j in 0..<t where row[j] != 0 { precision[i * t + j] += row[i] * row[j] }
            }
        }
        factor = Self.cholesky(Self.inverse(precision, t), t).map(Float.init)
    }

    /// The rows of A (T+2 rows of T entries).
    static func secondDifferenceMatrix(horizon t: Int) -> [[Double]] {
        var a = [[Double]](repeating: [Double](repeating: 0, count: t), count: t + 2)
        for j in 0..<t {
            a[j][j] = 1
            a[j + 1][j] = -2
            a[j + 2][j] = 1
        }
        a[t] = [Double](repeating: 0, count: t)
        a[t + 1] = [Double](repeating: 0, count: t)
        a[t + 1][t - 1] = -1
        if t >= 2 { a[t + 1][t - 2] = 1 }
        return a
    }

    /// Gauss–Jordan inverse with partial pivoting (AᵀA is symmetric positive definite and
    /// small, so this is exact enough and simple).
    private static func inverse(_ m: [Double], _ n: Int) -> [Double] {
        var a = m
        var inv = [Double](repeating: 0, count: n * n)
        for i in 0..<n { inv[i * n + i] = 1 }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(a[$0 * n + col]) < abs(a[$1 * n + col]) }!
            if pivot != col {
                for j in 0..<n {
                    a.swapAt(col * n + j, pivot * n + j)
                    inv.swapAt(col * n + j, pivot * n + j)
                }
            }
            let p = a[col * n + col]
            for j in 0..<n {
                a[col * n + j] /= p
                inv[col * n + j] /= p
            }
            for r in 0..<n where r != col {
                let f = a[r * n + col]
                guard f != 0 else { continue }
                for j in 0..<n {
                    a[r * n + j] -= f * a[col * n + j]
                    inv[r * n + j] -= f * inv[col * n + j]
                }
            }
        }
        return inv
    }

    /// Lower Cholesky factor of a symmetric positive definite matrix.
    private static func cholesky(_ m: [Double], _ n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = m[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? max(s, 0).squareRoot() : s / l[j * n + j]
            }
        }
        return l
    }

    /// Writes σ·L·z for fresh standard normal z into `out[offset + k·stride]`, k = 0..<T, so one
    /// draw can fill one coordinate of a row-major plan directly.
    @inline(__always)
    func sample(scale: Float, into out: UnsafeMutableBufferPointer<Float>, offset: Int, stride: Int,
                z: inout [Float], rng: inout RNG) {
        let t = horizon
        for k in 0..<t { z[k] = rng.gaussian() }
        factor.withUnsafeBufferPointer { l in
            for i in 0..<t {
                var s: Float = 0
                for k in 0...i { s += l[i * t + k] * z[k] }
                out[offset + i * stride] = scale * s
            }
        }
    }

    /// One draw of σ·L·z, `[T]` (for callers outside a plan buffer, such as tests).
    public func sample(scale: Float = 1, rng: inout RNG) -> [Float] {
        var out = [Float](repeating: 0, count: horizon)
        var z = [Float](repeating: 0, count: horizon)
        out.withUnsafeMutableBufferPointer { sample(scale: scale, into: $0, offset: 0, stride: 1, z: &z, rng: &rng) }
        return out
    }
}
