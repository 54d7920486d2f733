import EBMCore
import Foundation
import Testing

/// The fused GEMM (`BLAS.fusedGemm`, the package's AVX-512 kernel or OpenBLAS) and the
/// network's fused dense stages, against plain reference loops.
@Suite("Fused kernels")
struct KernelTests {
    /// A·B in Double for A with element (i, p) at a[i·rs + p·cs] and row-major B.
    static func reference(m: Int, n: Int, k: Int, _ a: [Float], rowStride rs: Int, columnStride cs: Int, _ b: [Float]) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for p in 0..<k {
                let ai = Double(a[i * rs + p * cs])
                for j in 0..<n { c[i * n + j] += ai * Double(b[p * n + j]) }
            }
        }
        return c
    }

    static func values(_ count: Int, seed: UInt64) -> [Float] { randomTensor([count], seed: seed).scalars }

    /// Shapes around the kernel's 6-row blocks, 16-wide vectors, 64-column panels and
    /// 256-deep slices, plus the network shapes (20 and 1280 rows of 128 → 128, the n = 1 head).
    @Test(arguments: [(1, 1, 1), (5, 3, 7), (7, 17, 33), (13, 1, 40), (20, 128, 128), (6, 64, 300),
                      (31, 129, 520), (1280, 128, 128), (9, 700, 32), (4, 5, 0)])
    func productMatchesReference(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = Self.values(m * k, seed: 1), b = Self.values(k * n, seed: 2), old = Self.values(m * n, seed: 3)
        let bias = Self.values(n, seed: 4), gate = Self.values(m * n, seed: 5)
        for transposed in [false, true] {
            let (rs, cs) = transposed ? (1, m) : (k, 1)
            let exact = Self.reference(m: m, n: n, k: k, a, rowStride: rs, columnStride: cs, b)
            let tolerance = 1e-5 * Double(max(k, 1)).squareRoot()
            for variant in 0..<4 {
                var c = old
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        bias.withUnsafeBufferPointer { biasp in
                            gate.withUnsafeBufferPointer { gp in
                                c.withUnsafeMutableBufferPointer { cp in
                                    let (ab, bb) = (ap.baseAddress ?? UnsafePointer(bitPattern: 8)!, bp.baseAddress ?? UnsafePointer(bitPattern: 8)!)
                                    switch variant {
                                    case 0: BLAS.fusedGemm(m: m, n: n, k: k, ab, rowStride: rs, columnStride: cs, bb, ldb: n, cp.baseAddress!, ldc: n)
                                    case 1: BLAS.fusedGemm(m: m, n: n, k: k, ab, rowStride: rs, columnStride: cs, bb, ldb: n, cp.baseAddress!, ldc: n,
                                                           accumulate: true, bias: biasp.baseAddress!)
                                    case 2: BLAS.fusedGemm(m: m, n: n, k: k, ab, rowStride: rs, columnStride: cs, bb, ldb: n, cp.baseAddress!, ldc: n,
                                                           bias: biasp.baseAddress!, leakySlope: 0.2)
                                    default: BLAS.fusedGemm(m: m, n: n, k: k, ab, rowStride: rs, columnStride: cs, bb, ldb: n, cp.baseAddress!, ldc: n,
                                                            leakySlope: 0.2, gate: gp.baseAddress!, gateStride: n)
                                    }
                                }
                            }
                        }
                    }
                }
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var r = exact[i * n + j]
                        switch variant {
                        case 1: r += Double(old[i * n + j]) + Double(bias[j])
                        case 2: r += Double(bias[j]); if r < 0 { r *= 0.2 }
                        case 3: if gate[i * n + j] < 0 { r *= 0.2 }
                        default: break
                        }
                        worst = max(worst, abs(Double(c[i * n + j]) - r) / max(1, abs(r)))
                    }
                }
                #expect(worst < tolerance, "\(shape) transposed \(transposed) variant \(variant): error \(worst)")
            }
        }
    }

    /// The dot-product form A·Bᵀ used for narrow outputs, across its 4×4 tiles and 16-wide tails.
    @Test(arguments: [(1, 1, 1), (3, 4, 16), (13, 5, 17), (20, 4, 128), (9, 9, 130), (6, 2, 0)])
    func transposedProductMatchesReference(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = Self.values(m * k, seed: 15), b = Self.values(n * k, seed: 16), gate = Self.values(m * n, seed: 17)
        var bt = [Float](repeating: 0, count: k * n)
        for j in 0..<n { for p in 0..<k { bt[p * n + j] = b[j * k + p] } }
        let exact = Self.reference(m: m, n: n, k: k, a, rowStride: k, columnStride: 1, bt)
        var c = [Float](repeating: 7, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                gate.withUnsafeBufferPointer { gp in
                    c.withUnsafeMutableBufferPointer {
                        BLAS.fusedGemmTransposedB(m: m, n: n, k: k, ap.baseAddress ?? UnsafePointer(bitPattern: 8)!, lda: k,
                                                  bp.baseAddress ?? UnsafePointer(bitPattern: 8)!, ldb: k, $0.baseAddress!, ldc: n,
                                                  leakySlope: 0.2, gate: gp.baseAddress!, gateStride: n)
                    }
                }
            }
        }
        var worst = 0.0
        for i in 0..<(m * n) {
            let r = gate[i] < 0 ? 0.2 * exact[i] : exact[i]
            worst = max(worst, abs(Double(c[i]) - r) / max(1, abs(r)))
        }
        #expect(worst < 1e-5 * Double(max(k, 1)).squareRoot(), "\(shape): error \(worst)")
    }

    @Test func twoThreadsGiveTheSameBytes() {
        let (m, n, k) = (300, 200, 100)
        let a = Self.values(m * k, seed: 6), b = Self.values(k * n, seed: 7), bias = Self.values(n, seed: 8)
        func product() -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    bias.withUnsafeBufferPointer { biasp in
                        c.withUnsafeMutableBufferPointer {
                            BLAS.fusedGemm(m: m, n: n, k: k, ap.baseAddress!, rowStride: k, columnStride: 1, bp.baseAddress!, ldb: n,
                                           $0.baseAddress!, ldc: n, bias: biasp.baseAddress!, leakySlope: 0.2)
                        }
                    }
                }
            }
            return c
        }
        let before = BLAS.kernelThreads
        defer { BLAS.kernelThreads = before }
        BLAS.kernelThreads = 1
        let one = product()
        BLAS.kernelThreads = 2
        let two = product()
        let same = one == two
        #expect(same)
    }

    /// The network's fused stages (Linear + LeakyReLU as one product with its epilogue) give
    /// what running its layers one by one through the `Layer` API gives.
    @Test func fusedStagesMatchLayerByLayer() {
        let config = NetworkConfig(inputShape: [6], layers: .mlpEnergy(hidden: [40, 33], activation: .leakyReLU))
        let net = Network(config, seed: 9)
        let x = randomTensor([23, 6], seed: 10)
        let g = randomTensor([23, 1], seed: 11)

        var h = x
        for layer in net.layers { h = layer.forward(h, labels: nil) }
        var gx = g
        for layer in net.layers.reversed() { gx = layer.backward(gx, .all) }
        let layerGradients = net.parameters.map(\.gradient)
        net.zeroGradients()

        let y = net.forward(x)
        let dx = net.backward(g, .all)
        func close(_ u: [Float], _ v: [Float]) -> Bool {
            u.count == v.count && zip(u, v).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($0)) }
        }
        #expect(close(y.scalars, h.scalars))
        #expect(dx.shape == x.shape && close(dx.scalars, gx.scalars))
        for (p, expected) in zip(net.parameters, layerGradients) {
            #expect(close(p.gradient.scalars, expected.scalars), "\(p.name)")
        }
    }

    /// The transposed weight behind input gradients follows element writes to the weight.
    @Test func inputGradientFollowsWeightChanges() {
        let config = NetworkConfig(inputShape: [3], layers: .mlpEnergy(hidden: [5], activation: .leakyReLU))
        let net = Network(config, seed: 12)
        let x = randomTensor([4, 3], seed: 13)
        let ones = Tensor(shape: [4, 1], repeating: 1)
        _ = net.forward(x)
        _ = net.backward(ones, .inputs)
        net.parameters[0].value.scalars[0] += 0.5
        _ = net.forward(x)
        let changed = net.backward(ones, .inputs)
        let fresh = net.copy()
        _ = fresh.forward(x)
        let same = fresh.backward(ones, .inputs) == changed
        #expect(same)
    }

    /// Conv2D writes a 10×9 output plane (≥ 64 positions) straight into each NCHW image, and
    /// groups the 5×5 planes of stride 2 several images to a product: both against the naive
    /// convolution and finite differences.
    @Test(arguments: [1, 2])
    func convolutionByImageAndByGroup(stride: Int) {
        var rng = RNG(seed: 18)
        let layer = Conv2D(inputChannels: 2, outputChannels: 3, kernel: 3, stride: stride, rng: &rng)
        layer.bias!.value = randomTensor([3], seed: 19)
        let x = randomTensor([3, 2, 10, 9], seed: 20)
        let y = layer.forward(x, labels: nil)
        let reference = ConvLayerTests.naiveConvolution(x, kernel: layer.weight.value.scalars, bias: layer.bias!.value.scalars,
                                                        k: 3, stride: stride, outputs: 3)
        #expect(y.shape == reference.shape)
        let worst = zip(y.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-5)
        let mismatches = GradientCheck().check(layer: layer, input: x)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func swishMatchesExpf() {
        var inputs = Self.values(1000, seed: 14).map { $0 * 12 }
        inputs += [0, -0.0, 88, -88, 100, -100, 1e-30]
        let out = Swish().forward(Tensor(shape: [inputs.count], scalars: inputs), labels: nil).scalars
        for (x, y) in zip(inputs, out) {
            let s = 1 / (1 + Foundation.exp(-Double(x)))
            let expected = Double(x) * s
            #expect(abs(Double(y) - expected) <= 1e-6 * max(1, abs(expected)), "swish(\(x)) = \(y), expected \(expected)")
        }
        let nan = Swish().forward(Tensor(shape: [1], scalars: [.nan]), labels: nil).scalars[0]
        #expect(nan.isNaN)
    }
}
