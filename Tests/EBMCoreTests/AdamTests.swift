import EBMCore
import Testing

@Suite("Adam")
struct AdamTests {
    @Test func firstStepMovesEachWeightByTheLearningRate() {
        // With bias correction, the first Adam step is lr·g/|g| per element (β1 = 0 or not).
        let p = Parameter(name: "w", value: Tensor(shape: [3], scalars: [1, 2, 3]))
        p.gradient = Tensor(shape: [3], scalars: [0.5, -4, 1e-3])
        var adam = Adam(learningRate: 0.1)
        adam.update([p])
        let expected: [Float] = [0.9, 2.1, 2.9]
        for (a, b) in zip(p.value.scalars, expected) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func matchesTheReferenceRecurrence() {
        // Independent scalar recurrence from Kingma & Ba with β1 = 0.9, several steps.
        let p = Parameter(name: "w", value: Tensor(shape: [1], scalars: [1]))
        var adam = Adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999)
        var w: Double = 1, m: Double = 0, v: Double = 0
        for t in 1...20 {
            let g = 2 * w - 0.3
            p.gradient = Tensor(shape: [1], scalars: [Float(g)])
            adam.update([p])
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mh = m / (1 - pow(0.9, Double(t))), vh = v / (1 - pow(0.999, Double(t)))
            w -= 0.01 * mh / (vh.squareRoot() + 1e-8)
            #expect(abs(Double(p.value.scalars[0]) - w) < 1e-5)
        }
    }

    @Test func clipFollowsTheIGEBMRule() {
        // Reference: g ← clip(g, ±(3·√(v_{t−1}/(1 − β2^{t−1})) + 0.1)) before the usual update,
        // no clip on the first step; β1 = 0.
        let p = Parameter(name: "w", value: Tensor(shape: [1], scalars: [0]))
        var adam = Adam(learningRate: 0.01, clipsGradients: true)
        var w: Double = 0, v: Double = 0
        var clippedAny = false
        for (t, g0) in [0.01, 0.01, 100, -50, 0.02].enumerated().map({ ($0 + 1, $1) }) {
            var g = g0
            if t > 1 {
                let bound = 3 * (v / (1 - pow(0.999, Double(t - 1)))).squareRoot() + 0.1
                if abs(g) > bound { clippedAny = true }
                g = min(max(g, -bound), bound)
            }
            p.gradient = Tensor(shape: [1], scalars: [Float(g0)])
            adam.update([p])
            v = 0.999 * v + 0.001 * g * g
            w -= 0.01 * g / ((v / (1 - pow(0.999, Double(t)))).squareRoot() + 1e-8)
            #expect(abs(Double(p.value.scalars[0]) - w) < 1e-5, "step \(t)")
        }
        #expect(clippedAny)
    }

    @Test func minimisesAQuadratic() {
        let p = Parameter(name: "w", value: Tensor(shape: [2], scalars: [3, -2]))
        var adam = Adam(learningRate: 0.05)
        for _ in 0..<400 {
            p.gradient = Tensor(shape: [2], scalars: p.value.scalars.map { 2 * ($0 - 0.5) })
            adam.update([p])
        }
        for w in p.value.scalars { #expect(abs(w - 0.5) < 0.05) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
