import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image crossclass`: Map each sprite to its neighbour's label by Langevin (IGEBM crossclass).
struct CrossClass: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossclass",
        abstract: "Map each sprite to its neighbour's label by Langevin (IGEBM crossclass).",
        discussion: """
            Image i - 1 starts the chain of label i. Metrics before_* and after_* score the starts and \
            the results against the new labels. PNG rows: starts, mapped, targets.
            """)

    @OptionGroup var task: TaskOptions
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var length: RoundsOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        let sampler = try sampling.sampler()
        try length.check()
        try task.run("crossclass", output: output) { model, rng in
            try CrossClassMapping(count: task.count, sampler: sampler, rounds: length.rounds).run(model, rng: &rng)
        }
    }
}
