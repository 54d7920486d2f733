import ArgumentParser
import EBMCommandLine
import EBMCore

@main
struct EBMPlan: OneLineErrorCommand {
    static let configuration = CommandConfiguration(
        commandName: "ebm-plan",
        abstract: "Learn energy-based models of simulated worlds and plan with them.",
        subcommands: [Plan.self, Collect.self, Train.self, Eval.self, Merge.self, Control.self, Toy.self, View.self, Experiment.self],
        defaultSubcommand: Plan.self
    )
}
