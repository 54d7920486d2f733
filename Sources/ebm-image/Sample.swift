import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image sample`: Sample the model from noise under random ground-truth labels and score the samples.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample the model from noise under random ground-truth labels and score the samples.",
        discussion: """
            Each chain starts from U(0, 1) noise under the label of a random factor set and runs \
            --rounds × --langevin-steps steps. Metrics against the renderer's ground truth: \
            position_error_px (centre of mass vs. the conditioned position), shape_accuracy (best \
            template IoU), scale_error, rotation_error_deg, mean_iou. PNG: samples (top), renders of \
            their targets (bottom).
            """)

    @OptionGroup var task: TaskOptions
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var length: RoundsOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        let sampler = try sampling.sampler()
        try length.check()
        try task.run("sample", output: output) { model, rng in
            ConditionalSampling(count: task.count, sampler: sampler, rounds: length.rounds).run(model, rng: &rng)
        }
    }
}
