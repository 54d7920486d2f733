import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image ood`: Out-of-distribution AUROC with score -E: noise, constant images, interpolations, the held-out triangle.
struct OOD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ood",
        abstract: "Out-of-distribution AUROC with score -E: noise, constant images, interpolations, the held-out triangle.",
        discussion: """
            Conditional models score -min_y E(x, y) over the label grid. Metrics: auroc_noise, \
            auroc_constant, auroc_interpolation, auroc_heldout (1 = every sprite scores above every \
            outlier) and mean energies. PNG rows: sprites, noise, constant, interpolations, triangles.
            """)

    @OptionGroup var task: TaskOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try task.run("ood", output: output) { model, rng in
            OutOfDistribution(count: task.count).run(model, rng: &rng)
        }
    }
}
