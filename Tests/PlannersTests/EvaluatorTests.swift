import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

@Suite("Evaluator")
struct EvaluatorTests {
    /// A Langevin MPC agent on the hand-set particle energy, for a given episode's environment.
    static func controller(for env: Particle) -> MPCController {
        let map = TaskSpaceMap.coordinates(x: 0, y: 1)
        let task = CompositeCost([
            GoalCost(goal: SIMD2(Float(env.goal.x), Float(env.goal.y)), weight: 10, power: 4, map: map),
            SmoothnessCost(),
            ObstacleCost(obstacles: env.obstacles, weight: 1000, margin: 0.05, map: map),
        ])
        let configuration = LangevinPlannerConfiguration(chains: 4, horizon: 12, iterations: 60, warmIterations: 10,
                                                         stepSize: .constant(2e-3))
        return MPCController(planner: LangevinPlanner(configuration: configuration, model: ReachEnergy(), taskCost: task,
                                                      inverseDynamics: EnvironmentInverseDynamics(Particle())))
    }

    static func evaluate(_ evaluator: Evaluator) throws -> [EpisodeRecord] {
        try evaluator.run(environment: Particle(), planner: "langevin", model: "hand-set",
                          makeController: { Self.controller(for: $0) })
    }

    /// Records without their wall-clock fields, which differ between runs.
    static func timeless(_ records: [EpisodeRecord]) -> [EpisodeRecord] {
        records.map { var r = $0; r.planMsMean = 0; r.planMsP95 = 0; return r }
    }

    @Test func shardsMergeIntoTheSummaryOfOneRun() throws {
        let whole = try Self.evaluate(Evaluator(episodes: 6, seed: 11))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ebm-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var urls: [URL] = []
        for shard in 0..<3 {
            let records = try Self.evaluate(Evaluator(episodes: 6, seed: 11, shardIndex: shard, shardCount: 3))
            #expect(records.map(\.episode) == [shard, shard + 3])
            let url = dir.appendingPathComponent("shard\(shard).jsonl")
            try EvaluationLog.write(records, to: url)
            urls.append(url)
        }
        let merged = try EvaluationLog.merge(urls)
        #expect(Self.timeless(merged) == Self.timeless(whole))
        #expect(EvaluationSummary(Self.timeless(merged)) == EvaluationSummary(Self.timeless(whole)))
        #expect(whole.filter(\.success).count >= 5, "\(whole.map(\.success))")
        // A shard given twice is refused.
        #expect(throws: EvaluationError.self) { try EvaluationLog.merge([urls[0], urls[0]]) }
    }

    @Test func logLinesAreTheDocumentedJSON() throws {
        let records = try Self.evaluate(Evaluator(episodes: 2, seed: 3))
        let lines = try EvaluationLog.text(records).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        for key in ["env", "planner", "seed", "episode", "success", "steps", "final_distance", "return",
                    "blocked_steps", "plan_ms_mean", "plan_ms_p95"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        let last = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as! [String: Any]
        let summary = try #require(last["summary"] as? [String: Any])
        for key in ["episodes", "success_rate", "mean_return", "mean_final_distance", "mean_steps",
                    "blocked_steps_total", "plan_ms_mean", "plan_ms_p95"] {
            #expect(summary[key] != nil, "missing summary \(key)")
        }
    }

    @Test func obstacleEpisodesStartAndEndOnOppositeSides() throws {
        let box = try Obstacle([-0.2, -0.2, 0.2, 0.2])
        let evaluator = Evaluator(episodes: 40, seed: 5, obstacles: [box])
        for i in 0..<40 {
            var env = Particle()
            try evaluator.reset(&env, episode: i)
            #expect(env.obstacles == [box])
            #expect(box.signedDistance(to: env.state) > 0.05)
            #expect(box.signedDistance(to: env.goal) > 0.05)
            #expect(box.intersects(segmentFrom: env.state, to: env.goal))
        }
    }

    @Test func summaryStatistics() {
        func record(_ i: Int, _ success: Bool, _ ret: Double, blocked: Int) -> EpisodeRecord {
            let outcome = EpisodeOutcome(success: success, steps: 10 * (i + 1), finalDistance: 0.1 * Double(i), totalReturn: ret,
                                         blockedSteps: blocked, controlTimes: [0.001, 0.003], path: [])
            return EpisodeRecord(env: "particle", planner: "p", model: "m", seed: 1, episode: i, outcome: outcome)
        }
        let s = EvaluationSummary([record(0, true, -1, blocked: 0), record(1, false, -3, blocked: 2),
                                   record(2, true, -2, blocked: 0), record(3, true, -2, blocked: 1)])
        #expect(s.episodes == 4)
        #expect(s.successRate == 0.75)
        #expect(s.meanReturn == -2)
        #expect(s.meanSteps == 25)
        #expect(s.blockedStepsTotal == 3)
        #expect(s.unblockedEpisodeRate == 0.5)
        #expect(abs(s.planMsMean - 2) < 1e-9)
        #expect(s.successRateCI95[0] < 0.75 && s.successRateCI95[1] > 0.75)
    }
}
