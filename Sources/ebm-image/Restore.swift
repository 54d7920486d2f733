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
            All pixels move under the true label. Metrics: restored_mse, corrupted_mse, baseline_mse \
            (the corrupted pixels filled from the mean image, knowing which they are), ratio = \
            restored / baseline. PNG rows: originals, corrupted, restored, baseline.
            """)

    @OptionGroup var task: TaskOptions
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var length: RoundsOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        let sampler = try sampling.sampler()
        try length.check()
        try task.run("restore", output: output) { model, rng in
            Restoration(count: task.count, sampler: sampler, rounds: length.rounds).run(model, rng: &rng)
        }
    }
}
