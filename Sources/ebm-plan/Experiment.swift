import ArgumentParser
import EBMCommandLine
import EBMCore
import EBMEnvironments
import EBMPlanners
import EBMRender
import Foundation

struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one of the paper's experiments; write JSON lines and an SVG/PNG figure.",
        discussion: """
        Each experiment writes <out>/<name>.jsonl (one line per measurement, the summary last), \
        <out>/<name>.svg and <out>/<name>.png, and prints its summary line. --quick runs a \
        small version for CI.
        """,
        subcommands: [Diversity.self, Obstacles.self, Exploration.self, Online.self])
}

/// Options every experiment shares.
struct ExperimentOptions: ParsableArguments {
    @Flag(help: "A small version that runs in CI in seconds to minutes.")
    var quick = false

    @Option(help: "Random seed; the same seed gives the same results.")
    var seed: UInt64 = 0

    @Option(help: "Directory for the JSON lines and the figure.")
    var out = "out/experiments"

    func output(_ name: String) throws -> ExperimentOutput {
        try ExperimentOutput(directory: out, name: name)
    }
}

extension Experiment {
    struct Diversity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sampled futures around a central obstacle and their homotopy classes.",
            discussion: """
            64 Langevin plans from (-0.5, 0) to (0.5, 0) behind the obstacle [-0.2, 0.2]², cold, \
            with the embedded particle model; each is classed left, right, through or short \
            (not yet level with the obstacle). distinct_classes counts left/right classes with \
            at least 10 % of the futures. The figure colours futures by class (left blue, right \
            orange, through grey).
            """)

        @OptionGroup var options: ExperimentOptions

        func run() throws {
            BLAS.setThreads(1)
            let output = try options.output("diversity")
            let experiment = DiversityExperiment(seed: options.seed)
            let result = try experiment.run(models: try TransitionModelBundle.embedded(for: .particle).agentModels)
            let summary = try ExperimentOutput.line(result)
            let colors: [HomotopyClass: RGBA] = [.left: RGBA(30, 110, 220), .right: RGBA(235, 110, 20),
                                                 .through: RGBA(110, 110, 110), .short: RGBA(170, 170, 170)]
            let traces = SceneTraces(futures: result.futures.map { $0.path.map { SIMD2($0[0], $0[1]) } },
                                     futureColors: result.futures.map { colors[$0.homotopyClass]! })
            try output.write(lines: try result.futures.map(ExperimentOutput.line) + [summary],
                             scene: Scene(geometry: try experiment.environment().geometry, traces: traces))
            print(summary)
        }
    }

    struct Obstacles: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unseen obstacle given as cost: EBM state-space planning vs feed-forward action planning.",
            discussion: """
            The embedded particle models (trained without obstacles) meet the obstacle \
            [-0.2, 0.2]² in seeded episodes whose start and goal lie on opposite sides of it: \
            Langevin over states with the energy vs CEM over actions with the feed-forward \
            dynamics. One line per episode, then one summary line per planner (success, blocked \
            steps, unblocked-episode rate). The figure shows the first episodes' paths (EBM \
            blue, FF orange). Full: 100 episodes; --quick: 4.
            """)

        @OptionGroup var options: ExperimentOptions

        @Option(help: "Episodes per planner (default 100, --quick 4).")
        var episodes: Int?

        func validate() throws {
            if let episodes, episodes < 1 { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
        }

        func run() throws {
            BLAS.setThreads(1)
            let output = try options.output("obstacles")
            let experiment = ObstacleExperiment(episodes: episodes ?? (options.quick ? 4 : 100), seed: options.seed)
            var bar = ProgressBar(total: experiment.episodes * experiment.planners.count, label: "obstacles")
            let result = try experiment.run(models: try TransitionModelBundle.embedded(for: .particle).agentModels,
                                            modelName: "embedded:particle") { planner, done in
                bar.update(done, status: planner.rawValue)
            }
            bar.finish()
            let summaries = try result.summaries.map(ExperimentOutput.line)
            let colors = [RGBA(30, 110, 220), RGBA(235, 110, 20)]
            var env = Particle()
            try Evaluator(episodes: 1, seed: options.seed, obstacles: experiment.obstacles).reset(&env, episode: 0)
            let traces = SceneTraces(futures: result.paths.flatMap { $0 },
                                     futureColors: result.paths.enumerated().flatMap { k, paths in
                                         paths.map { _ in colors[k % colors.count].withAlpha(200) }
                                     })
            try output.write(lines: try result.records.map(ExperimentOutput.line) + summaries,
                             scene: Scene(geometry: env.geometry, traces: traces))
            for line in summaries { print(line) }
        }
    }

    struct Exploration: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "State-space coverage against environment steps: planner-driven vs random data collection.",
            discussion: """
            Coverage = occupied cells of a fixed 20 × 20 grid. The planner-driven collector plans \
            with the embedded model towards the least-visited free cell; the random one draws \
            uniform actions; both return to the standard start every 300 steps (the maze's time limit). One line per \
            collector, seed and budget point, then the summary (mean occupied cells per point, \
            planner_ahead). Full: 3000 steps, 6 points, seeds s, s+1, s+2; --quick: 300 steps, \
            3 points, seed s.
            """)

        @OptionGroup var options: ExperimentOptions

        @Option(help: "Environment: maze or particle.")
        var env = "maze"

        func run() throws {
            BLAS.setThreads(1)
            guard let kind = EnvironmentKind(rawValue: env), kind != .reacher else {
                throw ValidationError("--env '\(env)' must be maze or particle")
            }
            let output = try options.output("exploration")
            let s = options.seed
            let experiment = options.quick
                ? ExplorationExperiment(budget: 300, points: 3, seeds: [s])
                : ExplorationExperiment(budget: 3000, points: 6, seeds: [s, s + 1, s + 2])
            let models = try TransitionModelBundle.embedded(for: kind).agentModels
            var bar = ProgressBar(total: experiment.budget * experiment.seeds.count * 2, label: "exploration")
            let (points, summary) = try kind.accept(ExplorationRun(experiment: experiment, models: models) { bar.update($0) })
            bar.finish()
            let line = try ExperimentOutput.line(summary)
            let colors: [ExplorationExperiment.Collector: RGBA] = [.planner: RGBA(30, 110, 220), .random: RGBA(120, 120, 120)]
            let series = ExplorationExperiment.Collector.allCases.map { c -> LineChart.Series in
                let mean = c == .planner ? summary.plannerMean : summary.randomMean
                let spread = summary.steps.map { step -> ClosedRange<Double> in
                    let values = points.filter { $0.collector == c && $0.steps == step }.map { Double($0.occupied) }
                    return values.min()!...values.max()!
                }
                return LineChart.Series(name: c.rawValue, color: colors[c]!,
                                        points: zip(summary.steps, mean).map { SIMD2(Double($0), $1) }, spread: spread)
            }
            let chart = LineChart(title: "\(env): occupied cells of \(summary.freeCells) free (20 × 20 grid)",
                                  xLabel: "environment steps", yLabel: "cells", series: series,
                                  yRange: 0...Double(summary.freeCells))
            try output.write(lines: try points.map(ExperimentOutput.line) + [line], chart: chart)
            print(line)
        }
    }
}

extension Experiment {
    struct Online: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Online learning from scratch: success rate against environment steps, EBM vs FF vs random exploration.",
            discussion: """
            All methods start untrained and learn from the data they collect themselves: N \
            parallel environments, each round one planned step in each, one optimiser step \
            (EBM: contrastive divergence with the executed plans' transitions as negatives, \
            Langevin planning with adaptive iterations; FF: MSE dynamics, CEM planning; random: \
            the EBM's loop, but the environments execute uniformly random actions). At step \
            0 and each budget point the current model is evaluated on one fixed set of episodes. \
            One line per method, seed and point, then the summary (mean, min, max over seeds). \
            The Langevin planner's step-limit hinge is not given the true reach: it uses the \
            longest step observed so far. In free space the particle is reached by steering \
            straight at the goal, which the analytic inverse does without any model; --obstacle evaluates with an \
            unseen obstacle between start and goal instead, where only plans of feasible steps \
            get round. The maze's training episodes start anywhere free (evaluation keeps the \
            standard start) and its energy also learns from the moves the walls refused. Full: \
            2000 steps (maze 16000), 4 points, 3 seeds, 20 evaluation episodes; --quick: 160 \
            steps (maze 2400), 2 points, 1 seed, 4 episodes.
            """)

        @OptionGroup var options: ExperimentOptions

        @Option(help: "Environment: particle or maze.")
        var env = "particle"

        @Option(help: "Seeds s, s+1, … (default 3, --quick 1).")
        var seeds: Int?

        @Option(help: "Environment steps per method and seed, over all environments (default 2000, maze 16000; --quick 160, maze 2400).")
        var budget: Int?

        @Option(help: "Evaluations after step 0 (default 4, --quick 2).")
        var points: Int?

        @Option(help: "Evaluation episodes per point (default 20, --quick 4).")
        var episodes: Int?

        @Option(help: "Parallel environments.")
        var environments = OnlineTrainingSettings().environments

        @Flag(help: "Evaluate with the unseen obstacle [-0.2, 0.2]² between start and goal (training stays obstacle-free).")
        var obstacle = false

        func run() throws {
            BLAS.setThreads(1)
            guard let kind = EnvironmentKind(rawValue: env), kind != .reacher else {
                throw ValidationError("--env '\(env)' must be particle or maze")
            }
            let quick = options.quick
            let (seedCount, budget, points, episodes) = (seeds ?? (quick ? 1 : 3), budget ?? (kind == .maze ? (quick ? 2400 : 16000) : (quick ? 160 : 2000)),
                                                         points ?? (quick ? 2 : 4), episodes ?? (quick ? 4 : 20))
            for (name, value) in [("--seeds", seedCount), ("--points", points), ("--episodes", episodes), ("--environments", environments)]
            where value < 1 {
                throw ValidationError("\(name) must be at least 1, got \(value)")
            }
            guard budget >= points * environments else {
                throw ValidationError("--budget \(budget) must allow one round of \(environments) steps per point")
            }
            let output = try options.output("online")
            var experiment = OnlineExperiment(budget: budget, points: points,
                                              seeds: (0..<UInt64(seedCount)).map { options.seed + $0 }, evaluationEpisodes: episodes)
            experiment.settings = .standard(for: kind)
            experiment.settings.environments = environments
            if obstacle { experiment.evaluationObstacles = ObstacleExperiment(episodes: 1, seed: 0).obstacles }
            var bar = ProgressBar(total: budget * seedCount * experiment.methods.count, label: "online \(env)")
            let (results, summary) = try kind.accept(OnlineRun(experiment: experiment) { bar.update($0) })
            bar.finish()
            let line = try ExperimentOutput.line(summary)
            let colors: [OnlineMethod: RGBA] = [.ebm: RGBA(30, 110, 220), .ff: RGBA(235, 110, 20), .random: RGBA(120, 120, 120)]
            let series = summary.curves.map { curve in
                LineChart.Series(name: curve.method.rawValue, color: colors[curve.method]!,
                                 points: zip(summary.steps, curve.mean).map { SIMD2(Double($0), $1) },
                                 spread: zip(curve.min, curve.max).map { $0...$1 })
            }
            let chart = LineChart(title: "\(env)\(obstacle ? " + unseen obstacle" : ""): success rate from scratch (\(summary.seeds.count) seeds, \(episodes) episodes)",
                                  xLabel: "environment steps", yLabel: "success rate", series: series, yRange: 0...1)
            try output.write(lines: try results.map(ExperimentOutput.line) + [line], chart: chart)
            print(line)
        }
    }
}

/// The online experiment in a concrete environment type.
struct OnlineRun: EnvironmentVisitor {
    var experiment: OnlineExperiment
    var progress: (Int) -> Void

    func visit<E: Environment>(_ environment: E) throws -> (points: [OnlineExperiment.Point], summary: OnlineExperiment.Summary) {
        try experiment.run(environment: environment, progress: progress)
    }
}

/// The exploration experiment in a concrete environment type.
struct ExplorationRun: EnvironmentVisitor {
    var experiment: ExplorationExperiment
    var models: AgentModels
    var progress: (Int) -> Void

    func visit<E: Environment>(_ environment: E) throws -> (points: [ExplorationExperiment.Point], summary: ExplorationExperiment.Summary) {
        try experiment.run(environment: environment, models: models, progress: progress)
    }
}
