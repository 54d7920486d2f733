import EBMCore
import Foundation
import Testing

@Suite("Label-guided energy")
struct LabelGuidedEnergyTests {
    static let candidates = Tensor(shape: [3, 3], scalars: [1, 0, 0, 0, 1, 0, 0, 0, 1])

    /// A smooth conditional energy on 2-D points (swish, so finite differences are accurate)
    /// whose label gain and bias are random: a fresh one ignores its label.
    static func network() -> Network {
        var layers = [LayerSpec].mlpEnergy(hidden: [16, 16], activation: .swish)
        layers.insert(.conditionalGainBias, at: 1)
        let net = Network(NetworkConfig(inputShape: [2], labelCount: 3, layers: layers), seed: 4)
        var rng = RNG(seed: 7)
        for (name, parameter) in net.namedParameters where name.hasPrefix("layers.1.") {
            parameter.value.scalars = parameter.value.scalars.map { $0 + rng.uniform(-1, 1) }
        }
        net.parametersDidChange()
        return net
    }

    static func points(_ rows: Int, seed: UInt64) -> (x: Tensor, classes: [Int]) {
        var rng = RNG(seed: seed)
        let x = Tensor(shape: [rows, 2], scalars: (0..<(2 * rows)).map { _ in rng.uniform(-2, 2) })
        return (x, (0..<rows).map { $0 % 3 })
    }

    @Test func isTheEnergyPlusWTimesTheCrossEntropyOfItsOwnClassifier() {
        let net = Self.network()
        let (x, classes) = Self.points(9, seed: 1)
        let guided = LabelGuidedEnergy(network: net, labels: Self.candidates.gatherRows(classes),
                                       candidates: Self.candidates, weight: 2.5)
        let values = guided.energies(of: x)
        // Independently: each candidate's energy from the plain conditioned network, in Double.
        let perClass = (0..<3).map { c in
            net.conditioned(on: Self.candidates.gatherRows(Array(repeating: c, count: x.rows))).energies(of: x).map(Double.init)
        }
        for i in 0..<x.rows {
            let own = perClass[classes[i]][i]
            let logZ = log((0..<3).map { exp(-perClass[$0][i]) }.reduce(0, +))
            let expected = own + 2.5 * (own + logZ)
            #expect(abs(Double(values[i]) - expected) < 1e-4 * max(1, abs(expected)), "row \(i)")
        }
    }

    @Test func gradientMatchesFiniteDifferences() {
        let net = Self.network()
        let (x, classes) = Self.points(6, seed: 2)
        let guided = LabelGuidedEnergy(network: net, labels: Self.candidates.gatherRows(classes),
                                       candidates: Self.candidates, weight: 3)
        let (values, gradient) = guided.energiesAndGradient(at: x)
        #expect(values == guided.energies(of: x))
        let h: Float = 1e-2
        for j in x.scalars.indices {
            var xp = x, xm = x
            xp.scalars[j] += h
            xm.scalars[j] -= h
            let row = j / 2
            let numeric = (guided.energies(of: xp)[row] - guided.energies(of: xm)[row]) / (2 * h)
            #expect(abs(gradient.scalars[j] - numeric) < 2e-3 + 2e-2 * abs(numeric), "coordinate \(j)")
        }
    }

    @Test func weightZeroIsThePlainConditionalEnergy() {
        let net = Self.network()
        let (x, classes) = Self.points(5, seed: 3)
        let labels = Self.candidates.gatherRows(classes)
        let plain = net.conditioned(on: labels).energiesAndGradient(at: x)
        let guided = LabelGuidedEnergy(network: net, labels: labels, candidates: Self.candidates, weight: 0)
            .energiesAndGradient(at: x)
        for (a, b) in zip(plain.energies, guided.energies) { #expect(abs(a - b) < 1e-5) }
        for (a, b) in zip(plain.gradient.scalars, guided.gradient.scalars) { #expect(abs(a - b) < 1e-5) }
    }

    // Descent on the guided energy must raise p(y | x) further than descent on E(x, y) alone:
    // the classifier term pushes each point away from the other classes.
    @Test func guidanceRaisesTheLabelsPosterior() {
        let net = Self.network()
        let (start, classes) = Self.points(30, seed: 5)
        let labels = Self.candidates.gatherRows(classes)
        func meanPosterior(_ x: Tensor) -> Double {
            let e = (0..<3).map { c in
                net.conditioned(on: Self.candidates.gatherRows(Array(repeating: c, count: x.rows))).energies(of: x).map(Double.init)
            }
            var total = 0.0
            for i in 0..<x.rows {
                let z = (0..<3).map { c -> Double in exp(-e[c][i]) }.reduce(0, +)
                total += exp(-e[classes[i]][i]) / z
            }
            return total / Double(x.rows)
        }
        let descent = LangevinSampler(steps: 100, stepSize: .constant(0.02), mode: .proper(temperature: .constant(0)))
        var rng = RNG(seed: 0)
        var plain = start, guided = start
        descent.run(&plain, energy: net.conditioned(on: labels), rng: &rng)
        descent.run(&guided, energy: LabelGuidedEnergy(network: net, labels: labels, candidates: Self.candidates, weight: 4),
                    rng: &rng)
        #expect(meanPosterior(guided) > meanPosterior(plain) + 0.05)
    }
}
