import EBMCore

/// Held-out quality of trained transition models, as `ebm-plan train` reports it.
public struct TransitionModelReport: Sendable, Equatable {
    /// Held-out transitions the measures use.
    public var transitions: Int
    /// Fraction of held-out pairs ranked correctly at `rankingDisplacement` (see
    /// `TransitionModelEvaluation.rankingAccuracy`).
    public var rankingAccuracy: Float
    /// ‖δ_i‖ per coordinate of the ranking test: three times the action's reach.
    public var rankingDisplacement: [Float]
    /// Mean energy of the held-out true transitions.
    public var heldOutEnergy: Float
    /// Mean squared error of the inverse dynamics in action units (nil: no inverse model).
    public var inverseMSE: Float?
    /// Mean squared error of the forward model's next state in delta-feature units (one unit
    /// ≈ one step's spread), and the same error of predicting no motion, for scale.
    public var forwardMSE: Float
    public var forwardMSEOfNoMotion: Float
}

/// Measures of trained transition models on held-out transitions.
public enum TransitionModelEvaluation {
    /// Fraction of transitions whose true next state has a lower energy than the same next
    /// state displaced by δ, with δ_i = displacement_i · u_i and u uniform on the surface of the
    /// unit ∞-ball (one coordinate at ±1, the others uniform in [−1, 1]; coordinates with zero
    /// displacement stay). With displacements beyond the action's reach every displaced state is
    /// impossible, so a sound energy ranks (nearly) all pairs correctly.
    public static func rankingAccuracy(energy: Network, data: TransitionData, displacement: [Float],
                                       maxPairs: Int = 2000, seed: UInt64 = 0) -> Float {
        let d = data.stateDimension
        precondition(displacement.count == d, "one displacement per state coordinate")
        let moving = (0..<d).filter { displacement[$0] > 0 }
        let n = min(maxPairs, data.count)
        guard n > 0, !moving.isEmpty else { return 0 }
        var rng = RNG(seed: seed, stream: 0x72616E6B)
        let rows = n == data.count ? Array(0..<n) : (0..<n).map { _ in rng.index(below: data.count) }
        let truth = data.pairs.gatherRows(rows)
        var displaced = truth
        for r in 0..<n {
            let pinned = moving[rng.index(below: moving.count)]
            let sign: Float = rng.uniform() < 0.5 ? -1 : 1
            for i in moving {
                let u = i == pinned ? sign : rng.uniform(-1, 1)
                displaced.scalars[r * 2 * d + d + i] += displacement[i] * u
            }
        }
        let e = energy.energies(of: Tensor.concatenatingRows([truth, displaced]))
        let correct = (0..<n).filter { e[$0] < e[n + $0] }.count
        return Float(correct) / Float(n)
    }

    /// Rows [s_t, a_t] and targets s_t+1 − s_t of the forward model.
    static func forwardExamples(_ data: TransitionData) -> (inputs: Tensor, targets: Tensor) {
        forwardExamples(pairs: data.pairs, actions: data.actions)
    }

    /// Rows [s_t, a_t] and targets s_t+1 − s_t for transitions `pairs` ([s_t, s_t+1] rows)
    /// taken with `actions`.
    static func forwardExamples(pairs: Tensor, actions: Tensor) -> (inputs: Tensor, targets: Tensor) {
        let (n, d, a) = (pairs.rows, pairs.rowWidth / 2, actions.rowWidth)
        var inputs = [Float](), targets = [Float]()
        inputs.reserveCapacity(n * (d + a))
        targets.reserveCapacity(n * d)
        for r in 0..<n {
            let pair = pairs.scalars[(r * 2 * d)..<((r + 1) * 2 * d)]
            inputs.append(contentsOf: pair.prefix(d))
            inputs.append(contentsOf: actions.scalars[(r * a)..<((r + 1) * a)])
            for i in 0..<d { targets.append(pair[pair.startIndex + d + i] - pair[pair.startIndex + i]) }
        }
        return (Tensor(shape: [n, d + a], scalars: inputs), Tensor(shape: [n, d], scalars: targets))
    }

    /// Per-output loss weights deltaScale²/D: the forward model's squared error in
    /// delta-feature units, averaged over coordinates.
    static func forwardWeights(_ configuration: TransitionModelConfiguration) -> [Float] {
        let d = Float(configuration.stateDimension)
        return configuration.features.deltaScale.map { $0 * $0 / d }
    }

    /// All measures on `heldOut` for the models of `bundle`.
    public static func report(_ bundle: TransitionModelBundle, heldOut: TransitionData) -> TransitionModelReport {
        let configuration = bundle.configuration
        let displacement = configuration.actionReach.map { 3 * $0 }
        let sample = min(heldOut.count, 2000)
        let pairs = heldOut.pairs.rows(0..<sample)
        let energies = bundle.energy.energies(of: pairs)
        let inverse = bundle.inverseDynamics.map {
            RegressionTrainer(network: $0).loss(inputs: heldOut.pairs, targets: heldOut.actions)
        }
        let (inputs, targets) = forwardExamples(heldOut)
        let weights = forwardWeights(configuration)
        let forward = RegressionTrainer(network: bundle.forwardDynamics, outputWeights: weights).loss(inputs: inputs, targets: targets)
        var still: Float = 0
        for (i, t) in targets.scalars.enumerated() { still += weights[i % weights.count] * t * t }
        return TransitionModelReport(
            transitions: heldOut.count,
            rankingAccuracy: rankingAccuracy(energy: bundle.energy, data: heldOut, displacement: displacement),
            rankingDisplacement: displacement,
            heldOutEnergy: energies.reduce(0, +) / Float(max(sample, 1)),
            inverseMSE: inverse, forwardMSE: forward, forwardMSEOfNoMotion: still / Float(max(heldOut.count, 1)))
    }
}
