import ArgumentParser
import EBMCommandLine
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image train`: contrastive-divergence training of an image energy on procedural sprites.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an image energy on procedural sprites by contrastive divergence (IGEBM defaults).",
        discussion: """
            Positives are freshly rendered sprites with their labels; negatives are IGEBM-mode \
            Langevin chains (K = 60, step 10, clip 0.01, noise 0.005, box [0, 1]) started from \
            U(0, 1) noise or, 95 % of the time, from a 10 000-image FIFO replay buffer that keeps \
            each chain's label. Loss: CD + α(E+² + E−²), α = 1; Adam β = (0, 0.999) with the \
            3√v̂ + 0.1 clip. --label-negatives adds, per step, that many data images under a \
            label they do not show as negatives of a conditional model (not in IGEBM; it teaches \
            the label far faster); --label-classification γ adds JEM's label cross-entropy \
            over every candidate label (not in IGEBM either). The chains are refined in \
            --chain-shards groups at once, one per core. The checkpoint (safetensors) is saved every --save-every steps and at \
            the end; --resume continues it up to --steps in total (the data, architecture and \
            condition come from the checkpoint, and so does the replay buffer unless --buffer changed). Writes a PNG \
            of data (top) and buffer samples (bottom) and JSON lines of the training curve. \
            --probe-every N samples fresh chains from noise every N steps and adds their quality \
            (probe_recognisable, probe_shape_accuracy, probe_position_error_px, …) to the curve, \
            so a collapse of the samples shows while training; the best step by the conditioned \
            factor's metric (for shape: probe_shape_recognised, the right shape at IoU 0.5 or \
            more) is kept as NAME.best.safetensors.
            """)

    @Option(help: "What the energy is conditioned on: none, shape, scale, position or rotation.")
    var condition = "position"
    @Option(help: "Total training steps.")
    var steps = 1000
    @Option(help: "Positives (and negatives) per step.")
    var batchSize = 32
    @Option(help: "Adam learning rate (IGEBM code 3e-4, paper 1e-4).")
    var lr: Float = 3e-4
    @Option(help: "Replay buffer capacity.")
    var buffer = 10_000
    @Option(help: "Probability that a chain continues from the buffer.")
    var replay: Float = 0.95
    @Option(help: "α, weight of the energy-magnitude regulariser.")
    var alpha: Float = 1
    @Option(help: "Known negatives per step for a conditional model: data images under a label they do not show (0: off, as IGEBM).")
    var labelNegatives = 0
    @Option(help: "γ of the label cross-entropy −log p(y | x) over every candidate label, added to the CD loss of a conditional model (0: off, as IGEBM).")
    var labelClassification: Float = 0
    @Option(help: "Groups of negative chains refined in parallel, one per core; the same seed and value give the same bytes on any machine.")
    var chainShards = 2
    @Option(help: "Checkpoint file (safetensors).")
    var checkpoint = "out/image/model.safetensors"
    @Flag(help: "Continue the checkpoint at --checkpoint instead of starting afresh.")
    var resume = false
    @Option(help: "Save the checkpoint every this many steps.")
    var saveEvery = 200
    @Option(help: "Write a metrics line every this many steps.")
    var logEvery = 10
    @OptionGroup var probing: ProbeOptions
    @OptionGroup var data: DataOptions
    @OptionGroup var architecture: ArchitectureOptions
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        BLAS.setThreads(1)
        guard steps >= 1 else { throw CommandError("--steps must be at least 1, got \(steps)") }
        guard saveEvery >= 1, logEvery >= 1 else { throw CommandError("--save-every and --log-every must be at least 1") }
        for (value, flag) in [(lr, "--lr"), (replay, "--replay"), (alpha, "--alpha"), (labelClassification, "--label-classification")] {
            try requireFinite(value, flag)
        }
        var options = ImageTrainingOptions()
        options.batchSize = batchSize
        options.learningRate = lr
        options.bufferCapacity = buffer
        options.replayFraction = replay
        options.regularization = alpha
        options.labelNegatives = labelNegatives
        options.labelClassification = labelClassification
        options.chainShards = chainShards
        try sampling.apply(to: &options)
        let probe = try probing.probe(sampler: options.sampler)

        let checkpointURL = URL(fileURLWithPath: checkpoint)
        let out = TaskOutput(task: "train", output: output)
        try out.prepare()
        try prepareOutputDirectory(for: checkpointURL)

        var model: ImageEnergyModel
        var state: [String: Tensor] = [:]
        var lines: [String] = []
        if resume {
            let loaded = try loadModel(checkpoint)
            model = loaded.model
            state = loaded.checkpoint.extras
            // Keep the curve of the earlier run(s) when it is still there.
            if let old = try? FileIO.readAll(out.metricsURL, format: "jsonl") {
                lines = String(decoding: old, as: UTF8.self).split(separator: "\n").map(String.init)
            }
        } else {
            guard let condition = ImageCondition(rawValue: condition) else {
                throw CommandError("--condition must be one of \(ImageCondition.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(self.condition)\"")
            }
            model = ImageEnergyModel(spec: try architecture.spec(data: try data.dataset(), condition: condition), seed: output.seed)
        }
        guard labelNegatives == 0 || model.condition != .none else {
            throw CommandError("--label-negatives needs a conditional model; this one is unconditional")
        }
        guard labelClassification == 0 || model.condition != .none else {
            throw CommandError("--label-classification needs a conditional model; this one is unconditional")
        }
        let first = model.step
        var trainer = ImageTrainer(model: model, options: options, seed: output.seed, state: state)
        let resumedChains = trainer.bufferCount

        func save() throws {
            try trainer.model.save(to: checkpointURL, extras: trainer.state(),
                                   metadata: ["seed": String(output.seed)])
            try FileIO.writeAtomically(Array(lines.map { $0 + "\n" }.joined().utf8), to: out.metricsURL, format: "jsonl")
        }

        let bestURL = checkpointURL.deletingPathExtension().appendingPathExtension("best.safetensors")
        var best = resume ? Self.bestScore(at: bestURL) : nil

        let start = Date()
        var bar = ProgressBar(total: max(steps - first, 1), label: "train")
        var last: ContrastiveDivergenceStatistics?
        while trainer.model.step < steps {
            let statistics: ContrastiveDivergenceStatistics
            do {
                statistics = try trainer.step()
            } catch let error as TrainingDiverged {
                bar.finish()
                throw CommandError("\(error); the checkpoint keeps the last saved step")
            }
            last = statistics
            bar.update(statistics.step - first, status: String(format: "E+ %.3f E- %.3f", statistics.positiveEnergy, statistics.negativeEnergy))
            let probeNow = probe.map { statistics.step % $0.interval == 0 } ?? false
            if statistics.step % logEvery == 0 || statistics.step == steps || probeNow {
                var line: [String: Any] = [
                    "step": statistics.step, "loss": statistics.loss, "e_pos": statistics.positiveEnergy,
                    "e_neg": statistics.negativeEnergy, "replayed": statistics.replayed,
                    "seconds": Date().timeIntervalSince(start),
                ]
                if let accuracy = statistics.labelAccuracy { line["label_accuracy"] = accuracy }
                if let crossEntropy = statistics.labelCrossEntropy { line["label_cross_entropy"] = crossEntropy }
                if let probe, probeNow {
                    let model = trainer.model
                    let metrics = probe.measure(model, seed: output.seed)
                    for (key, value) in metrics { line["probe_" + key] = value }
                    let score = SampleProbe.score(metrics, condition: model.condition)
                    if best.map({ score > $0.score }) ?? true {
                        best = (score, statistics.step)
                        try model.save(to: bestURL, metadata: ["seed": String(output.seed), "probe-score": String(score)])
                    }
                }
                lines.append(try TaskOutput.jsonLine(line))
            }
            if statistics.step % saveEvery == 0 { try save() }
        }
        bar.finish()
        try save()

        var rng = RNG(seed: output.seed, stream: 0x706E67)
        let shown = 16
        let (images, _) = model.data.batch(shown, rng: &rng)
        let samples = trainer.bufferSamples(shown, rng: &rng)?.images ?? Tensor(zeros: [0, 1, model.data.size, model.data.size])
        try ImageGrid.image(rows: [images, samples], size: model.data.size).write(to: out.pngURL)
        var summary: [String: Any] = [
            "task": "train", "checkpoint": checkpoint, "condition": model.condition.rawValue, "size": model.data.size,
            "steps": trainer.model.step, "steps_this_run": trainer.model.step - first, "resumed_chains": resumedChains,
            "seconds": Date().timeIntervalSince(start), "seed": output.seed, "png": out.pngURL.path,
        ]
        if let best {
            summary["best_checkpoint"] = bestURL.path
            summary["best_step"] = best.step
            summary["best_probe_score"] = best.score
        }
        if let last {
            summary["loss"] = last.loss
            summary["e_pos"] = last.positiveEnergy
            summary["e_neg"] = last.negativeEnergy
        }
        print(try TaskOutput.jsonLine(summary))
    }

    /// The probe score and step of an earlier run's best checkpoint, so a resumed run only
    /// replaces it with a better one.
    private static func bestScore(at url: URL) -> (score: Double, step: Int)? {
        guard let checkpoint = try? Checkpoint.load(from: url, kind: ImageEnergyModel.checkpointKind),
              let score = checkpoint.metadata["probe-score"].flatMap(Double.init),
              let step = checkpoint.metadata["step"].flatMap(Int.init) else { return nil }
        return (score, step)
    }
}
