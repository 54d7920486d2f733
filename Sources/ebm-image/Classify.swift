import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image classify`: Argmin-energy classification of sprites by a conditional model.
struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Argmin-energy classification of sprites by a conditional model.",
        discussion: """
            Each sprite gets the grid label of lowest energy. Metrics: accuracy, chance and, for \
            position models, position_error_px of the chosen label. PNG rows: sprites, renders with \
            the chosen label.
            """)

    @OptionGroup var task: TaskOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try task.run("classify", output: output) { model, rng in
            try EnergyClassification(count: task.count).run(model, rng: &rng)
        }
    }
}
