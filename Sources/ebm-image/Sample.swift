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
            position_error_px (centre of mass vs. the conditioned position), shape_accuracy (the \
            best template by IoU has the target's shape), shape_recognised (that, and IoU 0.5 or \
            more), scale_error, rotation_error_deg, mean_iou, recognisable (the fraction whose \
            best template overlaps by IoU 0.5 or more). PNG: samples (top), renders of \
            their targets (bottom). --guidance w > 0 samples p(x | y)·p(y | x)^w instead, with the \
            classifier the energy implies (softmax of -E over every label of the condition): \
            images of the label that the model also recognises as it. It starts after \
            --unguided-rounds rounds of the plain energy (from noise the classifier's pull tears \
            chains apart), and each guided step runs the network once per label (3 for shape).
            """)

    @OptionGroup var task: TaskOptions
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var length: RoundsOption
    @OptionGroup var guidance: GuidanceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let sampler = try sampling.sampler()
        try length.check()
        try task.run("sample", output: output) { model, rng in
            var sampling = ConditionalSampling(count: task.count, sampler: sampler, rounds: length.rounds)
            sampling.guidance = try guidance.guidance(for: [model])[0]
            return sampling.run(model, rng: &rng)
        }
    }
}
