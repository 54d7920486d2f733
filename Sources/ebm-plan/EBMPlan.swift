import ArgumentParser
import EBMCommandLine
import EBMCore

@main
struct EBMPlan: OneLineErrorCommand {
    static let configuration = CommandConfiguration(
        commandName: "ebm-plan",
        abstract: "Learn energy-based models of simulated worlds and plan with them.",
        subcommands: [Toy.self, Collect.self]
    )
}
