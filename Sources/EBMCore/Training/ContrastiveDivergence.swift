import Dispatch
import Foundation

/// Statistics of one contrastive-divergence step.
public struct ContrastiveDivergenceStatistics: Sendable, Equatable {
    /// Step index (1-based, after the update).
    public var step: Int
    /// mean E(x⁺) − mean E(x⁻) + α(mean E(x⁺)² + mean E(x⁻)²).
    public var loss: Float
    /// mean E(x⁺).
    public var positiveEnergy: Float
    /// mean E(x⁻).
    public var negativeEnergy: Float
    /// mean E(x⁻) over the sampled negatives alone, without the known ones: how far the
    /// sampler's proposals are from the data.
    public var sampledNegativeEnergy: Float
    /// Rows of the negative batch whose chains continued from the replay buffer.
    public var replayed: Int
    /// With `labelClassification`: the fraction of positives whose lowest-energy candidate
    /// label is their own, and the mean −log p(y | x) (its weight not applied); nil without.
    public var labelAccuracy: Float? = nil
    public var labelCrossEntropy: Float? = nil
}

/// Training stopped because an energy, the loss or a gradient stopped being finite.
/// Parameters are left as they were before the failing step.
public struct TrainingDiverged: Error, CustomStringConvertible {
    public var step: Int
    public var quantity: String
    public var description: String {
        "training diverged at step \(step): \(quantity) is not finite (parameters kept from step \(step - 1))"
    }
}

/// The contrastive-divergence trainer shared by transition and image energies.
///
/// Per step: chains start from fresh initialisations mixed with the replay buffer
/// (95 % / 5 % by default), run Langevin on the current energy (`mask` freezes conditioning
/// coordinates such as s_t), return to the buffer, and the network takes one optimiser step on
/// L = mean E(x⁺) − mean E(x⁻) + α·(mean E(x⁺)² + mean E(x⁻)²), negatives held constant,
/// plus, for a conditional energy with `labelClassification`, γ·mean −log p(y | x⁺).
/// Nothing is updated when any of those values is non-finite; the step throws instead.
public struct ContrastiveDivergence {
    public let network: Network
    public var optimizer: Adam
    public var sampler: LangevinSampler
    /// Replay buffer for negative chains; nil restarts every chain from `freshNegatives`.
    public var replay: ReplayBuffer?
    /// Probability that a chain continues from the buffer.
    public var replayFraction: Float = 0.95
    /// α, the weight of the energy-magnitude regulariser.
    public var regularization: Float = 1
    /// Coordinates the negative chains may move (nil: all).
    public var mask: [Bool]?
    /// Fresh chain starts for a batch of positives (noise around s_t, uniform images, …).
    public var freshNegatives: (Tensor, inout RNG) -> Tensor
    /// Steps completed.
    public private(set) var step = 0
    /// Groups the negative chains are split into, each refined on its own thread by its own
    /// copy of the network with its own random stream; 1 refines them all on the calling
    /// thread. The same seed and shard count give the same bytes on any number of cores.
    public var chainShards = 1
    /// The copies that refine shards 2, 3, … (the network itself refines the first).
    private var shardNetworks: [Network] = []
    /// JEM's hybrid term (Grathwohl et al. 2020) for a conditional energy; nil: off, as IGEBM.
    public var labelClassification: LabelClassification?

    /// γ·mean over the positives of −log p(y | x), p(y | x) = softmax over `candidates` of
    /// −E(x, ·). CD alone teaches a conditional energy its label only through the negatives
    /// that carry a wrong one (a 32×32 shape energy trained that way was still at chance after
    /// 10 000 steps); this term asks it directly which candidate each positive shows.
    public struct LabelClassification: Sendable {
        public var weight: Float
        /// Every label a positive can carry, one row each; each positive's label must be one
        /// of them exactly (one-hot classes, a grid of positions).
        public var candidates: Tensor

        public init(weight: Float, candidates: Tensor) {
            precondition(weight >= 0 && weight.isFinite, "label classification weight must be finite and non-negative")
            precondition(candidates.rows >= 2, "label classification needs at least two candidate labels")
            self.weight = weight
            self.candidates = candidates
        }
    }

    public init(network: Network, optimizer: Adam = Adam(), sampler: LangevinSampler,
                replay: ReplayBuffer?, mask: [Bool]? = nil,
                freshNegatives: @escaping (Tensor, inout RNG) -> Tensor) {
        self.network = network
        self.optimizer = optimizer
        self.sampler = sampler
        self.replay = replay
        self.mask = mask
        self.freshNegatives = freshNegatives
    }

    /// Draws negatives for `positives` with the current energy (no parameter change).
    public mutating func negatives(for positives: Tensor, labels: Tensor?, rng: inout RNG) -> (x: Tensor, labels: Tensor?, replayed: Int) {
        let fresh = freshNegatives(positives, &rng)
        precondition(fresh.shape == positives.shape, "fresh negatives must have the positives' shape")
        return negatives(from: fresh, labels: labels, rng: &rng)
    }

    /// Negatives from the chain starts `fresh`: mixed with the replay buffer, refined by the
    /// sampler (no refinement when it has 0 steps), added to the buffer. Without refinement a
    /// replayed row is unchanged, so only the fresh rows go back: re-adding the others would
    /// only duplicate stale samples until they crowd out new ones.
    private mutating func negatives(from fresh: Tensor, labels: Tensor?, rng: inout RNG) -> (x: Tensor, labels: Tensor?, replayed: Int) {
        var (x, negativeLabels, replayed) = replay?.mix(fresh: fresh, labels: labels, fraction: replayFraction, rng: &rng)
            ?? (fresh, labels, 0)
        refine(&x, labels: negativeLabels, rng: &rng)
        if sampler.steps > 0 || replayed == 0 {
            replay?.add(x, labels: negativeLabels, rng: &rng)
        } else {
            let w = x.rowWidth
            let kept = (0..<x.rows).filter { x.scalars[($0 * w)..<(($0 + 1) * w)] == fresh.scalars[($0 * w)..<(($0 + 1) * w)] }
            replay?.add(x.gatherRows(kept), labels: negativeLabels?.gatherRows(kept), rng: &rng)
        }
        return (x, negativeLabels, replayed)
    }

    /// Runs the sampler on the chains `x`, in `chainShards` groups of rows at once.
    private mutating func refine(_ x: inout Tensor, labels: Tensor?, rng: inout RNG) {
        let shards = min(max(chainShards, 1), x.rows)
        guard shards > 1 && sampler.steps > 0 else {
            sampler.run(&x, energy: network.conditioned(on: labels), mask: mask, rng: &rng)
            return
        }
        while shardNetworks.count < shards - 1 { shardNetworks.append(network.copy()) }
        for copy in shardNetworks.prefix(shards - 1) { copy.assignParameters(from: network) }
        let networks = [network] + shardNetworks.prefix(shards - 1)
        let bounds = (0...shards).map { $0 * x.rows / shards }
        let seeds = (0..<shards).map { _ in rng.next() }
        var parts = (0..<shards).map { x.gatherRows(Array(bounds[$0]..<bounds[$0 + 1])) }
        let (sampler, mask) = (sampler, mask)
        parts.withUnsafeMutableBufferPointer { parts in
            DispatchQueue.concurrentPerform(iterations: shards) { s in
                var shardRNG = RNG(seed: seeds[s])
                let shardLabels = labels?.gatherRows(Array(bounds[s]..<bounds[s + 1]))
                sampler.run(&parts[s], energy: networks[s].conditioned(on: shardLabels), mask: mask, rng: &shardRNG)
            }
        }
        x = Tensor.concatenatingRows(parts).reshaped(x.shape)
    }

    /// One training step on a batch of positives (with their labels for conditional models).
    ///
    /// `knownNegatives` join the sampled negatives as they are, neither refined nor replayed:
    /// samples known to lie off the data, which the sampler may never propose while the energy
    /// still prices them low — moves the world refused, or an image under a label it does not
    /// show. `knownNegativeLabels` holds their labels, one row each, for a conditional model.
    @discardableResult
    public mutating func step(positives: Tensor, labels: Tensor? = nil, knownNegatives: Tensor? = nil,
                              knownNegativeLabels: Tensor? = nil, rng: inout RNG) throws -> ContrastiveDivergenceStatistics {
        precondition(knownNegatives == nil || (labels == nil) == (knownNegativeLabels == nil),
                     "known negatives of a conditional model need labels, of an unconditional one none")
        network.beginTrainingStep()
        let (negatives, negativeLabels, replayed) = negatives(for: positives, labels: labels, rng: &rng)
        return try update(positives: positives, sampled: negatives, known: knownNegatives, labels: labels,
                          sampledLabels: negativeLabels, knownLabels: knownNegativeLabels, replayed: replayed)
    }

    /// One training step whose negative chains start from `negativeStarts` instead of
    /// `freshNegatives` — online learning's executed plan transitions, which are what the
    /// planner believed and the world did not do. They are mixed with the replay buffer and
    /// refined by the sampler as usual (a 0-step sampler uses them as they are). Positives
    /// and negatives may differ in number; each side's mean is over its own rows.
    /// `knownNegatives` join as in `step(positives:labels:knownNegatives:…)`.
    @discardableResult
    public mutating func step(positives: Tensor, negativeStarts: Tensor, knownNegatives: Tensor? = nil,
                              rng: inout RNG) throws -> ContrastiveDivergenceStatistics {
        precondition(positives.rows > 0 && negativeStarts.rows > 0 && negativeStarts.rowWidth == positives.rowWidth,
                     "positives and negative starts must be non-empty rows of one width")
        network.beginTrainingStep()
        let (negatives, _, replayed) = negatives(from: negativeStarts, labels: nil, rng: &rng)
        return try update(positives: positives, sampled: negatives, known: knownNegatives, labels: nil,
                          sampledLabels: nil, knownLabels: nil, replayed: replayed)
    }

    /// The optimiser step on L for fixed positives and negatives: the `sampled` ones, then the
    /// `known` ones (with their labels for a conditional model).
    private mutating func update(positives: Tensor, sampled: Tensor, known: Tensor?, labels: Tensor?, sampledLabels: Tensor?,
                                 knownLabels: Tensor?, replayed: Int) throws -> ContrastiveDivergenceStatistics {
        precondition(known.map { $0.rowWidth == positives.rowWidth } ?? true, "known negatives need the positives' row width")
        var negatives = sampled, negativeLabels = sampledLabels
        if let known, known.rows > 0 {
            negatives = Tensor.concatenatingRows([sampled, known])
            if let knownLabels { negativeLabels = Tensor.concatenatingRows([sampledLabels!, knownLabels]) }
        }
        let n = positives.rows, m = negatives.rows
        // The classification rows follow the CD rows in the same pass: every positive under
        // every candidate, candidate-major.
        let classification = labels.flatMap { labels in labelClassification.map { ($0, labels) } }
        let k = classification?.0.candidates.rows ?? 0
        var rows = [positives, negatives], rowLabels = labels.map { [$0, negativeLabels!] }
        var truth: [Int] = []
        if let (task, labels) = classification {
            truth = LabelPosterior.candidateIndices(of: labels, in: task.candidates)
            let (tiled, tiledLabels) = LabelPosterior.tiled(positives, under: task.candidates)
            rows.append(tiled)
            rowLabels?.append(tiledLabels)
        }
        let batch = Tensor.concatenatingRows(rows)
        let batchLabels = rowLabels.map { Tensor.concatenatingRows($0) }
        let energies = network.forward(batch, labels: batchLabels).scalars
        let failingStep = step + 1
        guard energies.allSatisfy(\.isFinite) else { throw TrainingDiverged(step: failingStep, quantity: "the energy") }

        var ePos: Float = 0, eNeg: Float = 0, ePos2: Float = 0, eNeg2: Float = 0
        for i in 0..<n { ePos += energies[i]; ePos2 += energies[i] * energies[i] }
        for i in 0..<m { eNeg += energies[n + i]; eNeg2 += energies[n + i] * energies[n + i] }
        let invPos = 1 / Float(n), invNeg = 1 / Float(m)
        ePos *= invPos; ePos2 *= invPos; eNeg *= invNeg; eNeg2 *= invNeg
        let alpha = regularization
        var loss = ePos - eNeg + alpha * (ePos2 + eNeg2)

        var dE = [Float](repeating: 0, count: n + m + k * n)
        for i in 0..<n { dE[i] = (1 + 2 * alpha * energies[i]) * invPos }
        for i in 0..<m { dE[n + i] = (-1 + 2 * alpha * energies[n + i]) * invNeg }
        var accuracy: Float?, crossEntropy: Float?
        if let (task, _) = classification {
            var total: Float = 0, hits = 0
            for i in 0..<n {
                let term = LabelPosterior.negativeLogLikelihood(energies: (0..<k).map { energies[n + m + $0 * n + i] },
                                                                truth: truth[i])
                total += term.value
                if term.isArgmin { hits += 1 }
                for c in 0..<k { dE[n + m + c * n + i] = task.weight * term.energyGradient[c] * invPos }
            }
            crossEntropy = total * invPos
            accuracy = Float(hits) * invPos
            loss += task.weight * total * invPos
        }
        guard loss.isFinite else { throw TrainingDiverged(step: failingStep, quantity: "the loss") }
        try optimizer.update(network, outputGradient: Tensor(shape: [dE.count, 1], scalars: dE), trainingStep: failingStep)
        step = failingStep
        let eSampled = energies[n..<(n + sampled.rows)].reduce(0, +) / Float(max(sampled.rows, 1))
        return ContrastiveDivergenceStatistics(step: step, loss: loss, positiveEnergy: ePos, negativeEnergy: eNeg,
                                               sampledNegativeEnergy: eSampled, replayed: replayed,
                                               labelAccuracy: accuracy, labelCrossEntropy: crossEntropy)
    }
}
