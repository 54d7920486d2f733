import ArgumentParser
import EBMCommandLine
import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a planner headless over seeded episodes; write JSON lines and a summary.",
        discussion: """
        One JSON object per episode (env, planner, model, seed, episode, success, steps, \
        final_distance, return, blocked_steps, plan_ms_mean, plan_ms_p95), then a line \
        {"summary": {…}}. With obstacles, every episode's start and goal lie on opposite sides \
        of one. Shards (--shard i/n) are merged with `ebm-plan merge`.
        """)

    @OptionGroup var agent: AgentOptions

    @Option(help: "Number of episodes.")
    var episodes = 100

    @Option(help: "Evaluate only shard i of n (episodes with index % n == i), as i/n.")
    var shard: String = "0/1"

    @Option(help: "JSON-lines file to write.")
    var out: String

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes must be positive, got \(episodes)") }
        _ = try shardParts()
    }

    func shardParts() throws -> (Int, Int) {
        let parts = shard.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n > 0, i >= 0, i < n else {
            throw ValidationError("--shard '\(shard)' must be i/n with 0 ≤ i < n")
        }
        return (i, n)
    }

    func run() throws {
        BLAS.setThreads(1)
        let url = URL(fileURLWithPath: out)
        try prepareOutputDirectory(for: url)
        let (index, count) = try shardParts()
        let (models, modelName) = try agent.models()
        let evaluator = Evaluator(episodes: episodes, seed: agent.seed, obstacles: try agent.obstacles,
                                  shardIndex: index, shardCount: count)
        let records = try agent.kind.accept(EvaluationRun(evaluator: evaluator, planner: try agent.plannerKind,
                                                          models: models, modelName: modelName))
        try EvaluationLog.write(records, to: url)
        let summary = EvaluationSummary(records)
        print(String(format: "%@ %@: %d episodes, success %.1f%%, mean return %.3f, mean final distance %.4f, blocked steps %d, plan %.1f ms (p95 %.1f)",
                     agent.env, agent.planner, summary.episodes, 100 * summary.successRate, summary.meanReturn,
                     summary.meanFinalDistance, summary.blockedStepsTotal, summary.planMsMean, summary.planMsP95))
    }
}

/// Runs an evaluation with progress for one environment type.
struct EvaluationRun: EnvironmentVisitor {
    var evaluator: Evaluator
    var planner: PlannerKind
    var models: AgentModels
    var modelName: String

    func visit<E: Environment>(_ environment: E) throws -> [EpisodeRecord] {
        let preset = PlanningPreset.standard(for: try EnvironmentKind(named: E.name), planner: planner)
        var bar = ProgressBar(total: evaluator.episodeIndices.count, label: "eval")
        var done = 0, successes = 0
        let records = try evaluator.run(
            environment: environment, planner: planner.rawValue, model: modelName,
            makeController: { env in
                try Agents.controller(for: env, obstacles: evaluator.obstacles, planner: planner, models: models, preset: preset)
            },
            progress: { record, _ in
                done += 1
                if record.success { successes += 1 }
                bar.update(done, status: "success \(successes)/\(done)")
            })
        bar.finish()
        return records
    }
}
