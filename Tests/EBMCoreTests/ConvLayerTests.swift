import EBMCore
import Foundation
import Testing

/// Conv2D, pooling, conditional gain/bias and the conv energy builder: gradients by finite
/// differences, forward values against independent references.
@Suite
struct ConvLayerTests {
    struct ConvCase: Sendable, CustomTestStringConvertible {
        var kernel: Int
        var stride: Int
        var size: Int
        var spectralNorm: Bool
        var testDescription: String { "k\(kernel) s\(stride) \(size)×\(size)\(spectralNorm ? " SN" : "")" }
    }

    static let convCases: [ConvCase] = [3, 4].flatMap { k in
        [1, 2].flatMap { s in
            [5, 6].flatMap { n in [false, true].map { ConvCase(kernel: k, stride: s, size: n, spectralNorm: $0) } }
        }
    }

    /// Sets every trainable value of `parameter` to a uniform draw, so no path is hidden by a
    /// zero or unit initialisation.
    static func randomize(_ parameter: Parameter, seed: UInt64) {
        parameter.value = randomTensor(parameter.value.shape, seed: seed, low: -0.8, high: 0.8)
    }

    @Test("conv2d gradients match finite differences", arguments: convCases)
    func conv2dGradients(_ c: ConvCase) {
        var rng = RNG(seed: 7)
        let layer = Conv2D(inputChannels: 2, outputChannels: 3, kernel: c.kernel, stride: c.stride,
                           spectralNorm: c.spectralNorm, rng: &rng)
        Self.randomize(layer.bias!, seed: 8)
        layer.parametersDidChange()
        let x = randomTensor([2, 2, c.size, c.size], seed: 11)
        let mismatches = GradientCheck().check(layer: layer, input: x)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("conv2d without bias on a non-square input has input and kernel gradients")
    func conv2dWithoutBiasGradients() {
        var rng = RNG(seed: 9)
        let layer = Conv2D(inputChannels: 3, outputChannels: 2, kernel: 3, stride: 2, bias: false, rng: &rng)
        #expect(layer.parameters.count == 1)
        let x = randomTensor([2, 3, 5, 6], seed: 12)
        #expect(layer.forward(x, labels: nil).shape == [2, 2, 3, 3])
        let mismatches = GradientCheck().check(layer: layer, input: x)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// Direct convolution with SAME padding, written from the definition (7 nested loops).
    static func naiveConvolution(_ x: Tensor, kernel w: [Float], bias: [Float], k: Int, stride s: Int, outputs: Int) -> Tensor {
        let (batch, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + s - 1) / s, ow = (wd + s - 1) / s
        let top = max((oh - 1) * s + k - h, 0) / 2, left = max((ow - 1) * s + k - wd, 0) / 2
        var out = Tensor(zeros: [batch, outputs, oh, ow])
        for b in 0..<batch {
            for co in 0..<outputs {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var sum = Double(bias[co])
                        for ci in 0..<cin {
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let iy = oy * s + ky - top, ix = ox * s + kx - left
                                    guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                                    sum += Double(x.scalars[((b * cin + ci) * h + iy) * wd + ix])
                                        * Double(w[((ky * k + kx) * cin + ci) * outputs + co])
                                }
                            }
                        }
                        out.scalars[((b * outputs + co) * oh + oy) * ow + ox] = Float(sum)
                    }
                }
            }
        }
        return out
    }

    @Test("conv2d forward equals a direct convolution", arguments: [3, 4], [1, 2])
    func conv2dMatchesDirectConvolution(kernel: Int, stride: Int) {
        var rng = RNG(seed: 21)
        let layer = Conv2D(inputChannels: 3, outputChannels: 4, kernel: kernel, stride: stride, rng: &rng)
        Self.randomize(layer.bias!, seed: 22)
        let x = randomTensor([2, 3, 6, 5], seed: 23)
        let y = layer.forward(x, labels: nil)
        let reference = Self.naiveConvolution(x, kernel: layer.weight.value.scalars, bias: layer.bias!.value.scalars,
                                              k: kernel, stride: stride, outputs: 4)
        #expect(y.shape == reference.shape)
        let worst = zip(y.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-5)
    }

    @Test("SAME padding at stride 2 pads after, not before, on even sizes")
    func samePaddingIsTensorFlows() {
        var rng = RNG(seed: 1)
        let layer = Conv2D(inputChannels: 1, outputChannels: 1, kernel: 3, stride: 2, bias: false, rng: &rng)
        layer.weight.value = Tensor(shape: [3, 3, 1, 1], repeating: 1)
        let y = layer.forward(Tensor(shape: [1, 1, 4, 4], repeating: 1), labels: nil)
        // Windows start at rows/columns 0 and 2; only the last one reaches the padding row/column.
        #expect(y.scalars == [9, 6, 6, 4])
    }

    /// σ₁ of a row-major `rows × cols` matrix: 100 power iterations on MᵀM in Double.
    static func largestSingularValue(_ m: [Float], rows: Int, cols: Int) -> Double {
        var u = [Double](repeating: 1, count: cols)
        var sigma = 0.0
        for _ in 0..<100 {
            var mu = [Double](repeating: 0, count: rows)
            for i in 0..<rows { for j in 0..<cols { mu[i] += Double(m[i * cols + j]) * u[j] } }
            var mtmu = [Double](repeating: 0, count: cols)
            for i in 0..<rows { for j in 0..<cols { mtmu[j] += Double(m[i * cols + j]) * mu[i] } }
            let norm = mtmu.reduce(0) { $0 + $1 * $1 }.squareRoot()
            u = mtmu.map { $0 / norm }
            sigma = norm.squareRoot()
        }
        return sigma
    }

    @Test("spectral norm drives the kernel matrix's largest singular value to 1")
    func spectralNormConverges() {
        var rng = RNG(seed: 3)
        let layer = Conv2D(inputChannels: 3, outputChannels: 4, kernel: 3, spectralNorm: true, rng: &rng)
        let before = Self.largestSingularValue(layer.effectiveWeight, rows: 27, cols: 4)
        for _ in 0..<30 { layer.beginTrainingStep() }
        let after = Self.largestSingularValue(layer.effectiveWeight, rows: 27, cols: 4)
        // A random u underestimates σ₁, so the test only passes if the iteration did the work.
        #expect(before > 1.02)
        #expect(abs(after - 1) < 1e-2)
    }

    @Test("average pooling averages 2×2 blocks and passes gradients")
    func avgPool() {
        let pool = AvgPool2x2()
        let y = pool.forward(Tensor(shape: [1, 1, 2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), labels: nil)
        #expect(y.shape == [1, 1, 1, 2])
        #expect(y.scalars == [3.5, 5.5])
        let mismatches = GradientCheck().check(layer: pool, input: randomTensor([2, 3, 4, 6], seed: 4))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("average pooling stops on an odd size")
    func avgPoolRejectsOddSizes() async {
        await #expect(processExitsWith: .failure) {
            _ = AvgPool2x2().forward(Tensor(zeros: [1, 1, 3, 4]), labels: nil)
        }
    }

    @Test("global sum-pool sums each channel and passes gradients")
    func globalSumPool() {
        let pool = GlobalSumPool()
        let y = pool.forward(Tensor(shape: [1, 2, 1, 3], scalars: [1, 2, 3, 10, 20, 30]), labels: nil)
        #expect(y.shape == [1, 2])
        #expect(y.scalars == [6, 60])
        let mismatches = GradientCheck().check(layer: pool, input: randomTensor([2, 3, 5, 4], seed: 5))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("conditional gain/bias is the identity when fresh and x⊙(yG+g₀)+yB after training")
    func conditionalGainBiasForward() {
        let layer = ConditionalGainBias(channels: 2, labelCount: 3)
        let x = randomTensor([2, 2, 2, 2], seed: 6)
        let labels = randomTensor([2, 3], seed: 7)
        #expect(layer.forward(x, labels: labels) == x)
        Self.randomize(layer.gain, seed: 8)
        Self.randomize(layer.gainOffset, seed: 9)
        Self.randomize(layer.bias, seed: 10)
        let y = layer.forward(x, labels: labels)
        // Sample 1, channel 0, position 3.
        var gain = layer.gainOffset.value.scalars[0], shift: Float = 0
        for l in 0..<3 {
            gain += labels.scalars[3 + l] * layer.gain.value.scalars[l * 2]
            shift += labels.scalars[3 + l] * layer.bias.value.scalars[l * 2]
        }
        let index = (1 * 2 + 0) * 4 + 3
        #expect(abs(y.scalars[index] - (x.scalars[index] * gain + shift)) < 1e-5)
    }

    @Test("conditional gain/bias gradients match finite differences", arguments: [[2, 3, 2, 3], [4, 3]])
    func conditionalGainBiasGradients(shape: [Int]) {
        let layer = ConditionalGainBias(channels: 3, labelCount: 2)
        Self.randomize(layer.gain, seed: 1)
        Self.randomize(layer.gainOffset, seed: 2)
        Self.randomize(layer.bias, seed: 3)
        let labels = randomTensor([shape[0], 2], seed: 4)
        let mismatches = GradientCheck().check(layer: layer, input: randomTensor(shape, seed: 5), labels: labels)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("conditional gain/bias stops without labels")
    func conditionalGainBiasNeedsLabels() async {
        await #expect(processExitsWith: .failure) {
            _ = ConditionalGainBias(channels: 2, labelCount: 3).forward(Tensor(zeros: [1, 2]), labels: nil)
        }
    }

    @Test("conditional spectrally normalised conv energy network gradients match finite differences")
    func convEnergyNetworkGradients() {
        let config = NetworkConfig(inputShape: [1, 8, 8], labelCount: 3,
                                   layers: .convEnergy(channels: [2, 3], strides: [1, 2], conditional: true))
        let network = Network(config, seed: 5)
        #expect(network.outputShape == [1])
        for case let (index, layer as ConditionalGainBias) in network.layers.enumerated() {
            Self.randomize(layer.gain, seed: UInt64(10 * index + 1))
            Self.randomize(layer.bias, seed: UInt64(10 * index + 2))
        }
        let x = randomTensor([2, 1, 8, 8], seed: 6, low: 0, high: 1)
        let labels = Tensor(shape: [2, 3], scalars: [0, 1, 0, 1, 0, 0])
        let mismatches = GradientCheck().check(network: network, input: x, labels: labels)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("the benchmark network is expressible and its specs survive a JSON round trip")
    func benchmarkNetworkSpecs() throws {
        let specs: [LayerSpec] = .convEnergy(channels: [32, 64, 128, 128], strides: [1, 2, 2, 2], spectralNorm: false)
        let conv = { (c: Int, s: Int) in LayerSpec.conv2d(outputChannels: c, kernel: 3, stride: s, spectralNorm: false) }
        #expect(specs == [conv(32, 1), .swish, conv(64, 2), .swish, conv(128, 2), .swish, conv(128, 2), .swish,
                          .globalSumPool, .linear(outputs: 1, spectralNorm: false)])
        let network = Network(NetworkConfig(inputShape: [1, 32, 32], layers: specs), seed: 1)
        #expect(network.outputShape == [1])
        #expect(network.layers[6].outputShape(for: [128, 8, 8]) == [128, 4, 4])
        #expect(network.forward(randomTensor([2, 1, 32, 32], seed: 2, low: 0, high: 1)).shape == [2, 1])
        let decoded = try JSONDecoder().decode([LayerSpec].self, from: JSONEncoder().encode(specs + [.avgPool2x2, .conditionalGainBias]))
        #expect(decoded == specs + [.avgPool2x2, .conditionalGainBias])
    }
}
