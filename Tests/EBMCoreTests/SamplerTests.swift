import EBMCore
import Testing

/// E(x) = ½ (x − μ)ᵀ Σ⁻¹ (x − μ) for a 2-D Gaussian with a full covariance: the closed form the
/// sampler is checked against.
struct GaussianEnergy: Energy {
    var mean: (Float, Float) = (1, -2)
    // Σ = [[1, 0.5], [0.5, 2]]; Σ⁻¹ = (1/1.75)·[[2, −0.5], [−0.5, 1]]
    let precision: (Float, Float, Float) = (2 / 1.75, -0.5 / 1.75, 1 / 1.75)

    func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor) {
        var e = [Float](repeating: 0, count: x.rows)
        var g = Tensor(zeros: x.shape)
        for r in 0..<x.rows {
            let dx = x.scalars[2 * r] - mean.0, dy = x.scalars[2 * r + 1] - mean.1
            let gx = precision.0 * dx + precision.1 * dy
            let gy = precision.1 * dx + precision.2 * dy
            e[r] = 0.5 * (dx * gx + dy * gy)
            g.scalars[2 * r] = gx
            g.scalars[2 * r + 1] = gy
        }
        return (e, g)
    }

    func energies(of x: Tensor) -> [Float] { energiesAndGradient(at: x).energies }
}

@Suite("Langevin sampler")
struct SamplerTests {
    @Test func properModeSamplesTheGaussian() {
        // 2000 chains × 600 steps of ε = 0.02 at T = 1. The discretisation bias of the
        // unadjusted Langevin algorithm is O(ε) (≈ 1 % on the variances here); the Monte-Carlo
        // error of a variance from 2000 samples is ≈ 3 %; tolerances are 4 standard errors.
        var rng = RNG(seed: 21)
        var x = Tensor(zeros: [2000, 2])
        let sampler = LangevinSampler(steps: 600, stepSize: .constant(0.02), mode: .proper(temperature: .constant(1)))
        sampler.run(&x, energy: GaussianEnergy(), rng: &rng)
        let n = Float(x.rows)
        var mx: Float = 0, my: Float = 0
        for r in 0..<x.rows { mx += x.scalars[2 * r]; my += x.scalars[2 * r + 1] }
        mx /= n; my /= n
        var vxx: Float = 0, vyy: Float = 0, vxy: Float = 0
        for r in 0..<x.rows {
            let dx = x.scalars[2 * r] - mx, dy = x.scalars[2 * r + 1] - my
            vxx += dx * dx; vyy += dy * dy; vxy += dx * dy
        }
        vxx /= n - 1; vyy /= n - 1; vxy /= n - 1
        #expect(abs(mx - 1) < 4 * (1 / n).squareRoot(), "mean x \(mx)")
        #expect(abs(my + 2) < 4 * (2 / n).squareRoot(), "mean y \(my)")
        #expect(abs(vxx - 1) < 4 * 1 * (2 / n).squareRoot() + 0.02, "var x \(vxx)")
        #expect(abs(vyy - 2) < 4 * 2 * (2 / n).squareRoot() + 0.04, "var y \(vyy)")
        #expect(abs(vxy - 0.5) < 0.15, "cov \(vxy)")
    }

    @Test func preconditionerSamplesAnIllConditionedGaussian() {
        // Independent coordinates with variances 1 and 10⁴ (E = x²/2 + y²/(2·10⁴)). With the
        // metric M = diag(1, 10⁴) both relax at the same rate; with the identity, 600 steps of
        // ε = 0.02 leave y's variance near 2εk ≈ 24, far below 10⁴.
        struct Stretched: Energy {
            func energiesAndGradient(at x: Tensor) -> (energies: [Float], gradient: Tensor) {
                var g = x
                var e = [Float](repeating: 0, count: x.rows)
                for r in 0..<x.rows {
                    let a = x.scalars[2 * r], b = x.scalars[2 * r + 1]
                    e[r] = a * a / 2 + b * b / 2e4
                    g.scalars[2 * r + 1] = b / 1e4
                }
                return (e, g)
            }
            func energies(of x: Tensor) -> [Float] { energiesAndGradient(at: x).energies }
        }
        func variances(preconditioner: [Float]?) -> (Float, Float) {
            var rng = RNG(seed: 23)
            var x = Tensor(zeros: [2000, 2])
            LangevinSampler(steps: 600, stepSize: .constant(0.02), mode: .proper(temperature: .constant(1)),
                            preconditioner: preconditioner).run(&x, energy: Stretched(), rng: &rng)
            var v: (Float, Float) = (0, 0)
            for r in 0..<x.rows { v.0 += x.scalars[2 * r] * x.scalars[2 * r]; v.1 += x.scalars[2 * r + 1] * x.scalars[2 * r + 1] }
            return (v.0 / Float(x.rows), v.1 / Float(x.rows))
        }
        let tolerance = 4 * (2 / Float(2000)).squareRoot() + 0.02
        let scaled = variances(preconditioner: [1, 1e4])
        #expect(abs(scaled.0 - 1) < tolerance, "var x \(scaled.0)")
        #expect(abs(scaled.1 / 1e4 - 1) < tolerance, "var y \(scaled.1)")
        let plain = variances(preconditioner: nil)
        #expect(plain.1 < 100, "without the metric y should still be near its start: var \(plain.1)")
    }

    @Test func temperatureScalesTheVariance() {
        var rng = RNG(seed: 22)
        var x = Tensor(zeros: [2000, 2])
        LangevinSampler(steps: 600, stepSize: .constant(0.02), mode: .proper(temperature: .constant(0.25)))
            .run(&x, energy: GaussianEnergy(), rng: &rng)
        var vxx: Float = 0
        for r in 0..<x.rows { vxx += (x.scalars[2 * r] - 1) * (x.scalars[2 * r] - 1) }
        vxx /= Float(x.rows)
        #expect(abs(vxx - 0.25) < 0.04, "var x at T = 1/4: \(vxx)")
    }

    @Test func igebmModeConvergesToTheMode() {
        var rng = RNG(seed: 23)
        var x = Tensor(shape: [64, 2], scalars: (0..<128).map { _ in rng.uniform(-3, 3) })
        let sampler = LangevinSampler(steps: 400, stepSize: .constant(1),
                                      mode: .igebm(noise: 0.005, gradientClip: 0.05, bounds: -5...5))
        sampler.run(&x, energy: GaussianEnergy(), rng: &rng)
        for r in 0..<x.rows {
            #expect(abs(x.scalars[2 * r] - 1) < 0.05 && abs(x.scalars[2 * r + 1] + 2) < 0.05, "row \(r): \(x.row(r))")
        }
    }

    @Test func igebmModeClipsAndClamps() {
        // One step from 0 with a huge gradient moves by at most λ·c, then the box applies.
        var rng = RNG(seed: 24)
        var x = Tensor(shape: [1, 2], scalars: [0, 0])
        let far = GaussianEnergy(mean: (100, -100))
        LangevinSampler(steps: 1, stepSize: .constant(10), mode: .igebm(noise: 0, gradientClip: 0.01, bounds: -0.05...1))
            .run(&x, energy: far, rng: &rng)
        #expect(abs(x.scalars[0] - 0.1) < 1e-6)
        #expect(x.scalars[1] == -0.05)
    }

    @Test func maskFreezesCoordinates() {
        var rng = RNG(seed: 25)
        var x = Tensor(shape: [8, 2], scalars: (0..<16).map { Float($0) })
        let before = x
        LangevinSampler(steps: 50, stepSize: .constant(0.05), mode: .proper(temperature: .constant(1)))
            .run(&x, energy: GaussianEnergy(), mask: [false, true], rng: &rng)
        for r in 0..<8 {
            #expect(x.scalars[2 * r] == before.scalars[2 * r])
            #expect(x.scalars[2 * r + 1] != before.scalars[2 * r + 1])
        }
    }

    @Test func aMaskPerElementFreezesEachRowsOwnCoordinates() {
        let start = Tensor(shape: [4, 2], scalars: (0..<8).map { Float($0) })
        let perElement: [Bool] = [true, false, false, true, false, false, true, true]
        for mode in [LangevinSampler.Mode.proper(temperature: .constant(1)),
                     .igebm(noise: 0.01, gradientClip: 0.5, bounds: nil)] {
            let sampler = LangevinSampler(steps: 30, stepSize: .constant(0.05), mode: mode)
            var rng = RNG(seed: 31)
            var x = start
            sampler.run(&x, energy: GaussianEnergy(), mask: perElement, rng: &rng)
            for i in 0..<8 { #expect((x.scalars[i] != start.scalars[i]) == perElement[i], "element \(i)") }
            // A per-element mask that repeats one row's flags is the shared mask, byte for byte.
            var shared = start, tiled = start
            var a = RNG(seed: 32), b = RNG(seed: 32)
            sampler.run(&shared, energy: GaussianEnergy(), mask: [false, true], rng: &a)
            sampler.run(&tiled, energy: GaussianEnergy(), mask: Array(repeating: [false, true], count: 4).joined().map { $0 }, rng: &b)
            #expect(shared.scalars == tiled.scalars)
        }
    }

    @Test func zeroTemperatureIsGradientDescent() {
        var rng = RNG(seed: 26)
        var x = Tensor(shape: [1, 2], scalars: [3, 3])
        LangevinSampler(steps: 2000, stepSize: .constant(0.1), mode: .proper(temperature: .constant(0)))
            .run(&x, energy: GaussianEnergy(), rng: &rng)
        #expect(abs(x.scalars[0] - 1) < 1e-3 && abs(x.scalars[1] + 2) < 1e-3)
    }

    @Test func gradientNormClipBoundsEachStep() {
        // Far from the mean the Gaussian's gradient is huge; clipped to norm 1, each zero-
        // temperature step moves a row by exactly ε, and the descent still ends at the mean.
        var rng = RNG(seed: 27)
        var x = Tensor(shape: [1, 2], scalars: [1000, 1000])
        LangevinSampler(steps: 1, stepSize: .constant(0.5), mode: .proper(temperature: .constant(0)), gradientNormClip: 1)
            .run(&x, energy: GaussianEnergy(), rng: &rng)
        let moved = ((x.scalars[0] - 1000) * (x.scalars[0] - 1000) + (x.scalars[1] - 1000) * (x.scalars[1] - 1000)).squareRoot()
        #expect(abs(moved - 0.5) < 1e-3, "moved \(moved)")
        var y = Tensor(shape: [1, 2], scalars: [30, 30])
        LangevinSampler(steps: 4000, stepSize: .constant(0.1), mode: .proper(temperature: .constant(0)), gradientNormClip: 1)
            .run(&y, energy: GaussianEnergy(), rng: &rng)
        #expect(abs(y.scalars[0] - 1) < 1e-3 && abs(y.scalars[1] + 2) < 1e-3, "\(y.scalars)")
    }

    @Test func schedules() {
        let s = Schedule.polynomial(start: 1, end: 0.1, power: 2)
        #expect(s.value(at: 0, of: 11) == 1)
        #expect(abs(s.value(at: 10, of: 11) - 0.1) < 1e-7)
        #expect(abs(s.value(at: 5, of: 11) - (0.1 + 0.9 * 0.25)) < 1e-6)
        #expect(Schedule.constant(0.3).value(at: 7, of: 9) == 0.3)
    }

    @Test func sameSeedSameSamples() {
        func draw() -> Tensor {
            var rng = RNG(seed: 27)
            var x = Tensor(zeros: [16, 2])
            LangevinSampler(steps: 20, stepSize: .constant(0.02), mode: .proper(temperature: .constant(1)))
                .run(&x, energy: GaussianEnergy(), rng: &rng)
            return x
        }
        #expect(draw() == draw())
    }
}

@Suite("Replay buffer")
struct ReplayBufferTests {
    @Test func mixingFractionIsBinomial() {
        var rng = RNG(seed: 31)
        var buffer = ReplayBuffer(capacity: 100, rowWidth: 2)
        buffer.add(Tensor(shape: [100, 2], repeating: 7), rng: &rng)
        let n = 20_000
        let (x, _, replayed) = buffer.mix(fresh: Tensor(zeros: [n, 2]), fraction: 0.95, rng: &rng)
        // Binomial(n, 0.95): sd = √(n·0.95·0.05) ≈ 30.8; allow 4 sd.
        #expect(abs(Double(replayed) - 0.95 * Double(n)) < 4 * 30.8, "replayed \(replayed) of \(n)")
        let counted = (0..<n).filter { x.scalars[2 * $0] == 7 }.count
        #expect(counted == replayed)
    }

    @Test func emptyBufferGivesFreshRows() {
        var rng = RNG(seed: 32)
        let buffer = ReplayBuffer(capacity: 10, rowWidth: 3)
        let fresh = Tensor(shape: [5, 3], repeating: 1)
        let (x, _, replayed) = buffer.mix(fresh: fresh, rng: &rng)
        #expect(replayed == 0 && x == fresh)
    }

    @Test func fifoOverwritesTheOldest() {
        var rng = RNG(seed: 33)
        var buffer = ReplayBuffer(capacity: 3, rowWidth: 1, policy: .fifo)
        buffer.add(Tensor(shape: [5, 1], scalars: [1, 2, 3, 4, 5]), rng: &rng)
        let held = Set((0..<buffer.count).map { buffer.row($0).first! })
        #expect(held == [3, 4, 5])
    }

    @Test func reservoirKeepsAUniformSample() {
        // Each of 1000 added rows should survive with probability 100/1000; the mean of the
        // held values (1…1000) is then ≈ 500.5 with sd ≈ 28.9/√100·√(1 − 0.1) ≈ 27.4.
        var rng = RNG(seed: 34)
        var buffer = ReplayBuffer(capacity: 100, rowWidth: 1, policy: .reservoir)
        buffer.add(Tensor(shape: [1000, 1], scalars: (1...1000).map(Float.init)), rng: &rng)
        #expect(buffer.count == 100 && buffer.seen == 1000)
        let mean = (0..<100).map { buffer.row($0).first! }.reduce(0, +) / 100
        #expect(abs(mean - 500.5) < 4 * 27.4, "mean of held rows \(mean)")
        #expect((0..<100).map { buffer.row($0).first! }.contains { $0 > 500 })
    }

    @Test func storedLabelsTravelWithRows() {
        var rng = RNG(seed: 35)
        var buffer = ReplayBuffer(capacity: 4, rowWidth: 1, labelWidth: 1)
        buffer.add(Tensor(shape: [2, 1], scalars: [10, 20]), labels: Tensor(shape: [2, 1], scalars: [1, 2]), rng: &rng)
        let (x, labels, _) = buffer.mix(fresh: Tensor(zeros: [50, 1]), labels: Tensor(zeros: [50, 1]), fraction: 1, rng: &rng)
        for r in 0..<50 { #expect(x.scalars[r] == 10 * labels!.scalars[r]) }
    }

    @Test func aRestoredFIFOContinuesAsTheOriginal() throws {
        var rng = RNG(seed: 36)
        var original = ReplayBuffer(capacity: 3, rowWidth: 2, labelWidth: 1)
        func add(_ values: [Float], to buffer: inout ReplayBuffer) {
            buffer.add(Tensor(shape: [values.count, 2], scalars: values.flatMap { [$0, -$0] }),
                       labels: Tensor(shape: [values.count, 1], scalars: values.map { $0 + 100 }), rng: &rng)
        }
        add([1, 2, 3, 4], to: &original)
        let saved = original.contents
        #expect(saved.rows.scalars == [4, -4, 2, -2, 3, -3] && saved.labels?.scalars == [104, 102, 103])
        var restored = try #require(ReplayBuffer(capacity: 3, rowWidth: 2, labelWidth: 1, restoringFIFO: saved, seen: original.seen))
        // The next write lands where the original's would: on the oldest row, 2.
        add([5], to: &original)
        add([5], to: &restored)
        #expect(restored.contents.rows == original.contents.rows && restored.contents.labels == original.contents.labels)
        #expect(restored.count == 3 && restored.seen == 5)

        #expect(ReplayBuffer(capacity: 2, rowWidth: 2, labelWidth: 1, restoringFIFO: saved, seen: 4) == nil)
        #expect(ReplayBuffer(capacity: 3, rowWidth: 2, restoringFIFO: saved, seen: 4) == nil)
        #expect(ReplayBuffer(capacity: 3, rowWidth: 2, labelWidth: 1, restoringFIFO: (saved.rows, nil), seen: 4) == nil)
        #expect(ReplayBuffer(capacity: 3, rowWidth: 3, labelWidth: 1, restoringFIFO: saved, seen: 4) == nil)
        #expect(ReplayBuffer(capacity: 3, rowWidth: 2, labelWidth: 1, restoringFIFO: saved, seen: 2) == nil)
    }
}
