import ArgumentParser

/// Options shared by the commands that run a task on a trained model.
struct TaskOptions: ParsableArguments {
    @Option(help: "Model checkpoint written by `ebm-image train`.")
    var model = "out/image/model.safetensors"
    @Option(help: "Number of images.")
    var count = 64

    func check() throws { try checkCount(count) }
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
