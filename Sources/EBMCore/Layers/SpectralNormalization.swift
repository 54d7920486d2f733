/// Spectral normalisation of a weight matrix (Miyato et al. 2018), IGEBM's variant.
///
/// The weight is viewed as a matrix `W` of shape `[fanIn, fanOut]` (a conv kernel as
/// `[k·k·C_in, C_out]`). A persistent unit vector `u ∈ R^fanOut` defines
/// σ(W) = ‖W u‖, an estimate of the largest singular value, and the layer uses W̄ = W / σ.
/// One power iteration `u ← normalise(Wᵀ normalise(W u))` runs per training step; at
/// evaluation `u` is frozen, so the same checkpoint always gives the same function.
/// The gradient flows through σ: with v = W u / ‖W u‖ and G = ∂L/∂W̄,
/// ∂L/∂W = (G − ⟨G, W̄⟩ v uᵀ) / σ.
final class SpectralNormalization {
    let fanIn: Int
    let fanOut: Int
    /// The persistent right singular vector estimate, saved with the model.
    let u: Parameter
    private(set) var sigma: Float = 1
    private var v: [Float]
    /// W / σ for the current `u`.
    private(set) var normalizedWeight: [Float]
    /// Bumped whenever `normalizedWeight` is recomputed (caches derived from it check it).
    private(set) var generation: UInt64 = 0

    init(fanIn: Int, fanOut: Int, name: String = "u", rng: inout RNG) {
        self.fanIn = fanIn
        self.fanOut = fanOut
        var u0 = (0..<fanOut).map { _ in rng.gaussian() }
        Self.normalize(&u0)
        u = Parameter(name: name, value: Tensor(shape: [fanOut], scalars: u0), isTrainable: false)
        v = [Float](repeating: 0, count: fanIn)
        normalizedWeight = [Float](repeating: 0, count: fanIn * fanOut)
    }

    /// One power iteration on `u` (training steps only).
    func iterate(weight w: [Float]) {
        var wu = Self.multiply(w, u.value.scalars, fanIn, fanOut)
        Self.normalize(&wu)
        var wtv = [Float](repeating: 0, count: fanOut)
        for i in 0..<fanIn {
            let vi = wu[i]
            for j in 0..<fanOut { wtv[j] += w[i * fanOut + j] * vi }
        }
        Self.normalize(&wtv)
        u.value.scalars = wtv
    }

    /// Recomputes σ, v and W̄ from `weight` and the current `u` (no change to `u`).
    func refresh(weight w: [Float]) {
        var wu = Self.multiply(w, u.value.scalars, fanIn, fanOut)
        sigma = max(Self.norm(wu), 1e-12)
        for i in wu.indices { wu[i] /= sigma }
        v = wu
        let inv = 1 / sigma
        for i in w.indices { normalizedWeight[i] = w[i] * inv }
        generation &+= 1
    }

    /// Converts ∂L/∂W̄ into ∂L/∂W and adds it to `gradient`.
    func accumulateWeightGradient(_ g: [Float], into gradient: inout [Float]) {
        var inner: Float = 0
        for i in g.indices { inner += g[i] * normalizedWeight[i] }
        let inv = 1 / sigma
        let uu = u.value.scalars
        for i in 0..<fanIn {
            let vi = v[i] * inner
            let row = i * fanOut
            for j in 0..<fanOut {
                gradient[row + j] += (g[row + j] - vi * uu[j]) * inv
            }
        }
    }

    private static func multiply(_ w: [Float], _ x: [Float], _ rows: Int, _ cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows)
        for i in 0..<rows {
            var s: Float = 0
            for j in 0..<cols { s += w[i * cols + j] * x[j] }
            out[i] = s
        }
        return out
    }

    private static func norm(_ x: [Float]) -> Float {
        var s: Float = 0
        for e in x { s += e * e }
        return s.squareRoot()
    }

    private static func normalize(_ x: inout [Float]) {
        let n = max(norm(x), 1e-12)
        for i in x.indices { x[i] /= n }
    }
}
