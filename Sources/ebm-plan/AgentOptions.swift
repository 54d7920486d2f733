import ArgumentParser
import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation

/// Options every planning sub-command shares: which world, which planner, which model.
struct AgentOptions: ParsableArguments {
    @Option(help: "Environment: particle, maze or reacher.")
    var env: String = "particle"

    @Option(help: "Planner: langevin, mppi, cem, random or oracle.")
    var planner: String = "langevin"

    @Option(help: "Model file (safetensors from `ebm-plan train`); default: the embedded model.")
    var model: String?

    @Option(help: "Random seed; the same seed gives the same episodes.")
    var seed: UInt64 = 0

    @Option(name: .customLong("obstacle"), parsing: .unconditionalSingleValue, help: ArgumentHelp("A rectangle obstacle xmin,ymin,xmax,ymax (repeatable).", valueName: "box"))
    var rectangles: [String] = []

    @Option(name: .customLong("circle"), parsing: .unconditionalSingleValue, help: ArgumentHelp("A circle obstacle cx,cy,r (repeatable).", valueName: "circle"))
    var circles: [String] = []

    var kind: EnvironmentKind {
        get throws {
            guard let kind = EnvironmentKind(rawValue: env) else {
                throw ValidationError("unknown environment '\(env)'; expected one of particle, maze, reacher")
            }
            return kind
        }
    }

    var plannerKind: PlannerKind {
        get throws {
            guard let kind = PlannerKind(rawValue: planner) else {
                throw ValidationError("unknown planner '\(planner)'; expected one of \(PlannerKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
    }

    var obstacles: [Obstacle] {
        get throws {
            try rectangles.map { try Obstacle(numbers($0, count: 4, what: "--obstacle")) }
                + circles.map { try Obstacle(numbers($0, count: 3, what: "--circle")) }
        }
    }

    /// The learned models: `--model`, or the embedded model of the environment.
    func models() throws -> (models: AgentModels, name: String) {
        let kind = try kind
        let bundle: TransitionModelBundle
        let name: String
        if let model {
            bundle = try TransitionModelBundle.load(from: URL(fileURLWithPath: model), environment: kind)
            name = URL(fileURLWithPath: model).lastPathComponent
        } else {
            bundle = try TransitionModelBundle.embedded(for: kind)
            name = "embedded:\(kind.rawValue)"
        }
        return (bundle.agentModels, name)
    }
}

/// A comma-separated list of `count` finite numbers, or one clear error naming the option.
func numbers(_ text: String, count: Int? = nil, what: String) throws -> [Double] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.map { Double($0) }
    guard values.allSatisfy({ $0 != nil && $0!.isFinite }) else {
        throw ValidationError("\(what) '\(text)' is not a list of finite numbers")
    }
    if let count, values.count != count {
        throw ValidationError("\(what) '\(text)' needs \(count) numbers, got \(values.count)")
    }
    return values.map { $0! }
}
