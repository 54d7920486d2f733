import EBMCore
import Testing

/// Inputs kept away from LeakyReLU's kink so central differences never straddle it.
private func awayFromZero(_ t: Tensor, margin: Float = 0.05) -> Tensor {
    var t = t
    for i in t.scalars.indices where abs(t.scalars[i]) < margin {
        t.scalars[i] = t.scalars[i] < 0 ? -margin - 0.01 : margin + 0.01
    }
    return t
}

@Suite("Dense layers against finite differences")
struct LayerGradientTests {
    @Test func linear() {
        var rng = RNG(seed: 1)
        let layer = Linear(inputs: 5, outputs: 4, rng: &rng)
        layer.bias.value = randomTensor([4], seed: 2)
        let mismatches = GradientCheck().check(layer: layer, input: randomTensor([3, 5], seed: 3))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func linearWithSpectralNormalisation() {
        var rng = RNG(seed: 4)
        let layer = Linear(inputs: 4, outputs: 3, spectralNorm: true, rng: &rng)
        layer.beginTrainingStep()
        let mismatches = GradientCheck().check(layer: layer, input: randomTensor([3, 4], seed: 5))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func leakyReLU() {
        let layer = LeakyReLU(slope: 0.2)
        let x = awayFromZero(randomTensor([4, 6], seed: 6))
        let mismatches = GradientCheck().check(layer: layer, input: x)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        let y = layer.forward(Tensor(shape: [1, 2], scalars: [-1, 2]), labels: nil)
        #expect(y.scalars == [-0.2, 2])
    }

    @Test func swish() {
        let layer = Swish()
        let mismatches = GradientCheck().check(layer: layer, input: randomTensor([4, 6], seed: 7, low: -3, high: 3))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        let y = layer.forward(Tensor(shape: [1, 1], scalars: [1]), labels: nil)
        #expect(abs(y.scalars[0] - 1 / (1 + Float(0.36787944))) < 1e-6)
    }

    @Test(arguments: [Activation.swish, .leakyReLU])
    func mlpEnergyNetwork(activation: Activation) {
        let config = NetworkConfig(inputShape: [4], layers: .mlpEnergy(hidden: [8, 8], activation: activation, spectralNorm: true))
        let net = Network(config, seed: 8)
        net.beginTrainingStep()
        let x = randomTensor([5, 4], seed: 9)
        // A smaller step keeps the differences of the piecewise-linear net from straddling a kink.
        let checker = GradientCheck(epsilon: activation == .leakyReLU ? 1e-3 : 1e-2)
        let mismatches = checker.check(network: net, input: x)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func inputGradientOnlyMatchesFullBackward() {
        let net = Network(NetworkConfig(inputShape: [3], layers: .mlpEnergy(hidden: [16])), seed: 10)
        let x = randomTensor([7, 3], seed: 11)
        let (_, g) = net.energiesAndGradient(at: x)
        _ = net.forward(x)
        let full = net.backward(Tensor(shape: [7, 1], repeating: 1), .all)
        #expect(g.scalars == full.scalars)
    }

    @Test func gradientCheckerCatchesAWrongGradient() {
        // The checker itself must fail on a backward pass with a wrong sign.
        let layer = LeakyReLU(slope: 0.2)
        let x = awayFromZero(randomTensor([2, 3], seed: 12))
        let mismatches = GradientCheck().check(
            input: x, parameters: [],
            forward: { layer.forward($0, labels: nil) },
            backward: { g in
                var d = layer.backward(g, .inputs)
                d.scalars[0] = -d.scalars[0]
                return d
            })
        #expect(mismatches.count == 1)
    }
}

@Suite("Spectral normalisation")
struct SpectralNormTests {
    /// σ₁ by 100 power iterations on the explicit matrix — the independent reference.
    static func largestSingularValue(_ w: [Float], rows: Int, cols: Int) -> Float {
        var u = [Float](repeating: 1, count: cols)
        var sigma: Float = 0
        for _ in 0..<100 {
            var v = [Float](repeating: 0, count: rows)
            for i in 0..<rows { for j in 0..<cols { v[i] += w[i * cols + j] * u[j] } }
            let nv = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / nv }
            var un = [Float](repeating: 0, count: cols)
            for i in 0..<rows { for j in 0..<cols { un[j] += w[i * cols + j] * v[i] } }
            sigma = un.reduce(0) { $0 + $1 * $1 }.squareRoot()
            u = un.map { $0 / sigma }
        }
        return sigma
    }

    @Test func normalisedWeightHasUnitSpectralNorm() {
        var rng = RNG(seed: 13)
        let layer = Linear(inputs: 12, outputs: 7, spectralNorm: true, rng: &rng)
        let raw = Self.largestSingularValue(layer.weight.value.scalars, rows: 12, cols: 7)
        #expect(raw > 2, "N(0,1) init should have σ₁ well above 1, got \(raw)")
        for _ in 0..<30 { layer.beginTrainingStep() }
        let sigma = Self.largestSingularValue(layer.effectiveWeight, rows: 12, cols: 7)
        #expect(abs(sigma - 1) < 1e-2, "σ₁(W/σ) = \(sigma)")
    }

    @Test func frozenAtEvaluation() {
        var rng = RNG(seed: 14)
        let layer = Linear(inputs: 6, outputs: 5, spectralNorm: true, rng: &rng)
        layer.beginTrainingStep()
        let x = randomTensor([2, 6], seed: 15)
        let first = layer.forward(x, labels: nil)
        for _ in 0..<5 { _ = layer.forward(x, labels: nil) }
        #expect(layer.forward(x, labels: nil) == first)
    }
}

@Suite("Transition features")
struct TransitionFeatureTests {
    static let spec = TransitionFeatureSpec(stateDimension: 4, angles: [0, 1], offset: [0, 0, 0.5, -1], scale: [1, 1, 0.1, 0.2],
                                            deltaScale: [5, 5, 0.5, 0.5])

    @Test func gradientsMatchFiniteDifferences() {
        let layer = TransitionFeatures(Self.spec)
        let x = randomTensor([3, 8], seed: 41, low: -3, high: 3)
        let mismatches = GradientCheck().check(layer: layer, input: x)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func anglesWrapSeamlessly() {
        // q and q + 2π describe the same state: same features, and a step across ±π is small.
        let layer = TransitionFeatures(Self.spec)
        let a = layer.forward(Tensor(shape: [1, 8], scalars: [3.1, 0, 1, 1, -3.1, 0, 1, 1]), labels: nil)
        let b = layer.forward(Tensor(shape: [1, 8], scalars: [3.1 - 2 * .pi, 0, 1, 1, -3.1, 0, 1, 1]), labels: nil)
        for (u, v) in zip(a.scalars, b.scalars) { #expect(abs(u - v) < 1e-4) }
        // Δq1 = 2π − 6.2 ≈ 0.083, times deltaScale 5.
        #expect(abs(a.scalars[6] - 5 * (2 * .pi - 6.2)) < 1e-3, "\(a.scalars)")
    }
}
