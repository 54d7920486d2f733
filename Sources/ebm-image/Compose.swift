import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// `ebm-image compose`: joint sampling from the sum of separately trained conditional energies.
struct Compose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Sample the sum of separately trained conditional energies (e.g. position + shape).",
        discussion: """
            Each target factor set labels every model with its own factor; one Langevin chain per \
            target samples exp(-sum of the energies), stepping on the summed gradient (--mode \
            sum) or, as IGEBM, one sub-step per model in turn (--mode alternate). Metrics score \
            the joint samples on every model's factor (position_error_px, shape_accuracy, ...) \
            and, as the reference, each model sampled alone (single_<condition>_*). PNG rows: \
            joint samples, targets, each model alone. --guidance gives each model a label \
            guidance weight (see sample --help), e.g. 0,3 for a position and a shape model; the \
            default 0 guides none.
            """)

    @Option(name: .customLong("model"), help: "A model checkpoint; give two or more, each conditioned on a different factor.")
    var models: [String] = []
    @Option(help: "Number of samples.")
    var count = 64
    @Option(help: "How the models' gradients combine: sum (one step on the summed gradient) or alternate (one sub-step per model, IGEBM).")
    var mode = "sum"
    @OptionGroup var guidance: GuidanceOptions
    @OptionGroup var sampling: SamplerOptions
    @OptionGroup var length: RoundsOption
    @OptionGroup var output: OutputOptions

    func run() throws {
        BLAS.setThreads(1)
        try checkCount(count)
        guard models.count >= 2 else { throw CommandError("compose needs at least two --model checkpoints, got \(models.count)") }
        guard let mode = Composition.Mode(rawValue: mode) else {
            throw CommandError("--mode must be sum or alternate, got \"\(self.mode)\"")
        }
        let sampler = try sampling.sampler()
        try length.check()
        let out = TaskOutput(task: "compose", output: output)
        try out.prepare()
        let loaded = try models.map { try loadModel($0).model }
        let guidances = try guidance.guidance(for: loaded)
        var rng = RNG(seed: output.seed, stream: 0x696D67)
        var composition = Composition(count: count, sampler: sampler, rounds: length.rounds)
        composition.mode = mode
        composition.guidance = guidances
        let result = try composition.run(loaded, rng: &rng)
        try out.write(result, size: loaded[0].data.size,
                      extra: ["models": models, "conditions": loaded.map(\.condition.rawValue), "mode": mode.rawValue,
                             "guidance": guidances.map { Double($0.weight) },
                             "unguided_rounds": guidance.unguidedRounds])
    }
}
