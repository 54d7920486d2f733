import ArgumentParser
import EBMCommandLine

@main
struct EBMImage: OneLineErrorCommand {
    static let configuration = CommandConfiguration(
        commandName: "ebm-image",
        abstract: "Image energy-based models on procedural dSprites-like sprites (IGEBM on the shared core).",
        discussion: """
            Train with `train`, then run a task on the checkpoint. Every task writes a PNG grid \
            (--png) and a JSON-lines metrics file (--metrics) and prints the metrics line.
            """,
        subcommands: [Train.self, Sample.self, Inpaint.self, Restore.self, CrossClass.self, Compose.self, OOD.self, Classify.self]
    )
}
