import ArgumentParser
import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation

/// `ebm-plan train`: offline training of an environment's transition energy, inverse and
/// forward dynamics from random rollouts (SPEC §5), with checkpoints and `--resume`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an environment's transition energy, inverse and forward dynamics from rollouts.",
        discussion: """
            Positives are the dataset's transitions (s_t, s_t+1); negatives are Langevin samples of \
            s_t+1 given s_t (contrastive divergence with a replay buffer). The last tenth of the \
            episodes is held out. The model file is written atomically every --checkpoint-every \
            steps and at the end, with the optimiser and replay state, so --resume continues the run \
            exactly. Prints one JSON line: steps, recent mean energies of positives and negatives, \
            the held-out ranking accuracy (true next state below one displaced by 3x the action's \
            reach), inverse and forward dynamics errors.
            """)

    @Option(help: "Environment: \(EnvironmentKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var env: String

    @Option(help: "Rollout dataset (.npz from ebm-plan collect).")
    var data: String?

    @Option(help: "Collect this many random-action episodes with --seed instead of reading --data.")
    var collectEpisodes: Int?

    @Option(help: "Total training steps (a resumed run continues up to this count).")
    var steps: Int

    @Option(help: "Random seed (data collection, initialisation, sampling).")
    var seed: UInt64 = 0

    @Option(help: "Model file to write (.safetensors).")
    var out: String

    @Flag(help: "Continue the run saved in --out.")
    var resume = false

    @Option(help: "Write a checkpoint every N steps.")
    var checkpointEvery = 1000

    @Flag(inversion: .prefixedNo, help: "Spectrally normalise the energy's hidden layers (default: on for reacher).")
    var spectralNorm: Bool?

    @Option(help: "Adam learning rate of the energy (default \(TransitionTrainingSettings().learningRate)).")
    var learningRate: Float?

    @Option(help: "α, the weight of the CD loss's energy-magnitude term (default \(Train.defaults(\.regularization))).")
    var regularization: Float?

    @Option(help: "Fraction of fresh negative chains whose s_t is displaced too, 0 to 1 (default \(Train.defaults(\.freshStateFraction))).")
    var freshStateFraction: Float?

    @Option(help: "Moves the world refused (into walls, past the border) added to each batch's negatives (default \(Train.defaults(\.refusedMoveNegatives))).")
    var refusedMoveNegatives: Int?

    @Option(help: "Langevin iterations per negative batch (default \(TransitionTrainingSettings().samplerSteps)).")
    var samplerSteps: Int?

    @Option(help: "Langevin step size in delta-feature units (default \(TransitionTrainingSettings().samplerStepSize)).")
    var samplerStepSize: Float?

    @Option(help: "Langevin temperature of the negatives (default \(TransitionTrainingSettings().samplerTemperature)).")
    var temperature: Float?

    /// A setting's default and where an environment differs, as help text: "1.0 (reacher 0.01)".
    static func defaults<Value: Equatable>(_ setting: KeyPath<TransitionTrainingSettings, Value>) -> String {
        let common = TransitionTrainingSettings()[keyPath: setting]
        let special = EnvironmentKind.allCases.compactMap { kind -> String? in
            let value = TransitionTrainingSettings.standard(for: kind)[keyPath: setting]
            return value == common ? nil : "\(kind.rawValue) \(value)"
        }
        return special.isEmpty ? "\(common)" : "\(common) (\(special.joined(separator: ", ")))"
    }

    // Checks live here rather than in `validate()`, whose errors ArgumentParser prints together
    // with the usage text: bad values get exactly one line.
    func run() throws {
        BLAS.setThreads(1)
        let started = Date()
        let kind = try EnvironmentKind(named: env)
        guard steps >= 1 else { throw EnvironmentError.invalidCount("--steps", steps) }
        guard checkpointEvery >= 1 else { throw EnvironmentError.invalidCount("--checkpoint-every", checkpointEvery) }
        if let samplerSteps, samplerSteps < 0 { throw TrainError("--sampler-steps must be 0 or more, got \(samplerSteps)") }
        if let refusedMoveNegatives, refusedMoveNegatives < 0 {
            throw TrainError("--refused-move-negatives must be 0 or more, got \(refusedMoveNegatives)")
        }
        let url = URL(fileURLWithPath: out)
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw TrainError("cannot write \(out): \(directory) does not exist or is not writable")
        }

        let transitions: TransitionData
        switch (data, collectEpisodes) {
        case let (path?, nil):
            transitions = try TransitionData(contentsOf: URL(fileURLWithPath: path))
            guard transitions.environment == kind else {
                throw TrainError("\(path) is a dataset for \(transitions.environment.rawValue), not \(kind.rawValue)")
            }
        case let (nil, episodes?):
            guard episodes >= 1 else { throw EnvironmentError.invalidCount("--collect-episodes", episodes) }
            transitions = try TransitionData(kind.randomRollouts(episodes: episodes, seed: seed))
        default:
            throw TrainError("give exactly one of --data FILE and --collect-episodes N")
        }

        var settings = TransitionTrainingSettings.standard(for: kind)
        if let learningRate { settings.learningRate = learningRate }
        if let regularization { settings.regularization = regularization }
        if let freshStateFraction { settings.freshStateFraction = freshStateFraction }
        if let samplerSteps { settings.samplerSteps = samplerSteps }
        if let refusedMoveNegatives { settings.refusedMoveNegatives = refusedMoveNegatives }
        if let samplerStepSize { settings.samplerStepSize = samplerStepSize }
        if let temperature { settings.samplerTemperature = temperature }
        var trainer: TransitionTrainer
        if resume {
            guard FileManager.default.fileExists(atPath: out) else { throw TrainError("cannot resume: \(out) does not exist") }
            let saved = try TransitionModelBundle.load(from: url, environment: kind)
            trainer = try TransitionTrainer(resuming: saved, data: transitions, settings: settings)
            guard trainer.seed == seed else { throw TrainError("--seed \(seed) differs from the seed \(trainer.seed) of the run in \(out)") }
        } else {
            let configuration = TransitionModelConfiguration.standard(for: kind, spectralNorm: spectralNorm)
            trainer = try TransitionTrainer(configuration: configuration, data: transitions, settings: settings, seed: seed)
        }

        let first = trainer.step
        var bar = ProgressBar(total: steps, label: "train \(kind.rawValue)")
        do {
            try trainer.train(until: steps, checkpoint: url, checkpointEvery: checkpointEvery) { p in
                bar.update(p.step, status: String(format: "E+ %.3f  E- %.3f", p.positiveEnergy, p.negativeEnergy))
            }
        } catch let diverged as TrainingDiverged {
            bar.finish()
            let kept = (diverged.step - 1) / checkpointEvery * checkpointEvery
            let file = kept > first ? "\(out) keeps the checkpoint of step \(kept)"
                : resume ? "\(out) keeps the checkpoint of step \(first)" : "no checkpoint was written"
            throw TrainError("\(diverged); \(file)")
        }
        bar.finish()

        let trained = trainer.bundle()
        let report = TransitionModelEvaluation.report(trained, heldOut: trainer.heldOut)
        func round(_ x: Float) -> Double { (Double(x) * 1e5).rounded() / 1e5 }
        var summary: [String: Any] = [
            "env": kind.rawValue, "seed": seed, "steps": trainer.step, "out": out,
            "transitions": transitions.count - report.transitions, "held_out": report.transitions,
            "ranking_accuracy": round(report.rankingAccuracy),
            "ranking_displacement": report.rankingDisplacement.map(round),
            "held_out_energy": round(report.heldOutEnergy),
            "forward_mse": round(report.forwardMSE), "forward_mse_no_motion": round(report.forwardMSEOfNoMotion),
            "inverse_mse": report.inverseMSE.map { round($0) as Any } ?? NSNull(),
            "seconds": (Date().timeIntervalSince(started) * 10).rounded() / 10,
        ]
        if let level = trained.feasibleEnergy { summary["feasible_energy"] = round(level) }
        if let recent = trainer.recentEnergies {
            summary["energy_positive"] = round(recent.positive)
            summary["energy_negative"] = round(recent.negative)
        }
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: json, as: UTF8.self))
    }
}

/// A one-line command-line error.
private struct TrainError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
