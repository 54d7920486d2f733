import ArgumentParser
import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation

struct Control: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a controller over JSON lines on stdin/stdout.",
        discussion: """
        In: {"state":[…],"goal":[…],"obstacles":[[…]]?,"reset":true?} per line \
        (reacher: state [q1, q2, q̇1, q̇2] in rad and rad/s, goal the fingertip [x, y]). \
        Out: {"action":[…]} (with --plan also "plan": the chosen states). A bad line is answered \
        with {"error":"…"} and serving continues.
        """)

    @OptionGroup var agent: AgentOptions

    @Flag(help: "Include the chosen plan in every answer.")
    var plan = false

    func run() throws {
        BLAS.setThreads(1)
        let (models, _) = try agent.models()
        try agent.kind.accept(ControlLoop(planner: try agent.plannerKind, models: models, seed: agent.seed, includesPlan: plan))
    }
}

struct ControlLoop: EnvironmentVisitor {
    var planner: PlannerKind
    var models: AgentModels
    var seed: UInt64
    var includesPlan: Bool

    func visit<E: Environment>(_ environment: E) throws {
        var server = ControlServer(environment: environment, planner: planner, models: models,
                                   preset: .standard(for: try EnvironmentKind(named: E.name), planner: planner), seed: seed,
                                   includesPlan: includesPlan)
        while let line = readLine(strippingNewline: true) {
            print(server.respond(to: line))
            fflush(stdout)
        }
    }
}
