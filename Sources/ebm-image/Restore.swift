import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image restore`: Restore salt-and-pepper corrupted sprites (5 % to 0.1, 5 % to 0.9) by Langevin.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore salt-and-pepper corrupted sprites (5 % to 0.1, 5 % to 0.9) by Langevin.",
        discussion: """
            Under the true label, Langevin moves the pixels whose value is one of the two \
            corruption levels (--move suspects: under the known noise model every other pixel is \
            observed exactly) or every pixel (--move all, as IGEBM); --chains averages that many \
            chains per image (an estimate of the conditional mean). Metrics: restored_mse, \
            corrupted_mse, baseline_mse (the corrupted pixels filled from the mean image, \
            knowing which they are), ratio = restored / baseline. PNG rows: originals, corrupted, \
            restored, baseline.
            """)

    @OptionGroup var task: TaskOptions
    @Option(help: "Pixels that move: suspects (those at a corruption level) or all (IGEBM).")
    var move = "suspects"
    @OptionGroup var chains: ChainsOption
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var length: RoundsOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let moving = Restoration.Moving(rawValue: move) else {
            throw CommandError("--move must be suspects or all, got \"\(move)\"")
        }
        let sampler = try sampling.sampler()
        try length.check()
        try chains.check()
        var restoration = Restoration(count: task.count, sampler: sampler, rounds: length.rounds, chains: chains.chains)
        restoration.moving = moving
        try task.run("restore", output: output) { model, rng in
            restoration.run(model, rng: &rng)
        }
    }
}
