import ArgumentParser
import EBMCore
import ImageEBM

/// Options shared by the commands that run a task on a trained model.
struct TaskOptions: ParsableArguments {
    @Option(help: "Model checkpoint written by `ebm-image train`.")
    var model = "out/image/model.safetensors"
    @Option(help: "Number of images.")
    var count = 64

    func check() throws { try checkCount(count) }

    /// The body every single-model task shares: checks the count, makes sure the outputs can
    /// be written, loads the model, runs `task` on the command's seeded stream and writes the
    /// PNG grid and metrics line named `name`.
    func run(_ name: String, output: OutputOptions,
             _ task: (ImageEnergyModel, inout RNG) throws -> ImageTaskResult) throws {
        BLAS.setThreads(1)
        try check()
        let out = TaskOutput(task: name, output: output)
        try out.prepare()
        let (model, _) = try loadModel(self.model)
        var rng = RNG(seed: output.seed, stream: 0x696D67)
        let result = try task(model, &rng)
        try out.write(result, size: model.data.size, extra: ["model": self.model, "condition": model.condition.rawValue])
    }
}

/// Bounds on --count shared by every task command.
func checkCount(_ count: Int) throws {
    guard count >= 1 && count <= 100_000 else { throw CommandError("--count must be in 1...100000, got \(count)") }
}

/// How long a sampling task runs its chains.
struct RoundsOption: ParsableArguments {
    @Option(help: "Rounds of --langevin-steps Langevin steps.")
    var rounds = 1

    func check() throws {
        guard rounds >= 1 && rounds <= 10_000 else { throw CommandError("--rounds must be in 1...10000, got \(rounds)") }
    }
}

/// How many chains an inpainting or restoration averages per image.
struct ChainsOption: ParsableArguments {
    @Option(help: "Independent chains per image, averaged (1: a single conditional sample).")
    var chains = 1

    func check() throws {
        guard chains >= 1 && chains <= 256 else { throw CommandError("--chains must be in 1...256, got \(chains)") }
    }
}
