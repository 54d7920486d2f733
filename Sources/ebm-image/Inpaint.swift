import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image inpaint`: Inpaint the lower half of sprites by masked Langevin and compare with a mean-image fill.
struct Inpaint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inpaint",
        abstract: "Inpaint the lower half of sprites by masked Langevin and compare with a mean-image fill.",
        discussion: """
            The lower half is replaced by U(0, 1) noise and only it moves, under the true label; \
            --chains averages that many chains per image (an estimate of the conditional mean). \
            Metrics: inpaint_mse and baseline_mse (lower half filled from the data's mean image), \
            ratio. PNG rows: originals, corrupted, inpainted, mean fill.
            """)

    @OptionGroup var task: TaskOptions
    @Option(help: "Start of the hidden half: noise (IGEBM) or meanImage (refine the baseline).")
    var start = "noise"
    @OptionGroup var chains: ChainsOption
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var length: RoundsOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let start = Inpainting.Start(rawValue: start) else {
            throw CommandError("--start must be noise or meanImage, got \"\(self.start)\"")
        }
        let sampler = try sampling.sampler()
        try length.check()
        try chains.check()
        var inpainting = Inpainting(count: task.count, sampler: sampler, rounds: length.rounds, chains: chains.chains)
        inpainting.start = start
        try task.run("inpaint", output: output) { model, rng in
            inpainting.run(model, rng: &rng)
        }
    }
}
