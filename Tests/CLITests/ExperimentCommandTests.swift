import Foundation
import Testing

/// `ebm-plan experiment … --quick` runs and the direction of each result holds.
@Suite("ebm-plan experiment")
struct ExperimentCommandTests {
    /// The JSON objects of the command's stdout lines.
    private func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    private func files(_ name: String, in dir: URL) -> [Data?] {
        ["jsonl", "svg", "png"].map { try? Data(contentsOf: dir.appendingPathComponent("\(name).\($0)")) }
    }

    @Test func diversityFindsBothWaysRoundTheObstacle() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run("ebm-plan", ["experiment", "diversity", "--quick", "--out", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try objects(result.stdout).last)
        #expect(summary["distinct_classes"] as? Int ?? 0 >= 2, "\(result.stdout)")
        let counts = try #require(summary["counts"] as? [String: Int])
        #expect(counts.values.reduce(0, +) == 64)
        let first = files("diversity", in: dir)
        #expect(first.allSatisfy { $0 != nil })
        let again = try run("ebm-plan", ["experiment", "diversity", "--quick", "--out", dir.path])
        #expect(again.status == 0)
        #expect(files("diversity", in: dir) == first, "same seed, same bytes")
    }

    @Test func obstaclesEnergyPlannerBeatsFeedForward() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run("ebm-plan", ["experiment", "obstacles", "--quick", "--out", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try objects(result.stdout)
        let summaries = Dictionary(uniqueKeysWithValues: lines.compactMap { line -> (String, [String: Any])? in
            guard let planner = line["planner"] as? String, let summary = line["summary"] as? [String: Any] else { return nil }
            return (planner, summary)
        })
        let ebm = try #require(summaries["langevin"]), ff = try #require(summaries["cem"])
        let ebmSuccess = try #require(ebm["success_rate"] as? Double), ffSuccess = try #require(ff["success_rate"] as? Double)
        #expect(ebmSuccess >= ffSuccess, "\(result.stdout)")
        #expect(ebm["blocked_steps_total"] as? Int == 0, "\(result.stdout)")
        #expect(files("obstacles", in: dir).allSatisfy { $0 != nil })
    }

    @Test func explorationPlannerCoversMoreThanRandom() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run("ebm-plan", ["experiment", "exploration", "--quick", "--out", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try objects(result.stdout).last)
        let planner = try #require(summary["planner_mean"] as? [Double]), random = try #require(summary["random_mean"] as? [Double])
        #expect(planner.count == 3 && random.count == 3)
        #expect(planner.last! > random.last!, "\(result.stdout)")
        #expect(files("exploration", in: dir).allSatisfy { $0 != nil })
    }

    // Both methods start untrained; the FF baseline must learn from its own data within the
    // quick budget and the EBM must not get worse. Timings are not written, so a rerun is
    // byte-identical.
    @Test func onlineLearningCurvesRiseAndRepeat() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run("ebm-plan", ["experiment", "online", "--quick", "--out", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try objects(result.stdout).last)
        let curves = try #require(summary["curves"] as? [[String: Any]])
        let means = Dictionary(uniqueKeysWithValues: curves.compactMap { c -> (String, [Double])? in
            guard let method = c["method"] as? String, let mean = c["mean"] as? [Double] else { return nil }
            return (method, mean)
        })
        let ebm = try #require(means["ebm"]), ff = try #require(means["ff"])
        #expect(ebm.count == 3 && ff.count == 3)
        #expect(ebm.last! >= ebm.first!, "\(result.stdout)")
        #expect(ff.last! > ff.first!, "\(result.stdout)")
        #expect(summary["ebm_at_least_ff"] as? Bool == true, "\(result.stdout)")
        #expect(summary["start"] as? String == "untrained")
        let first = files("online", in: dir)
        #expect(first.allSatisfy { $0 != nil })
        let again = try run("ebm-plan", ["experiment", "online", "--quick", "--out", dir.path])
        #expect(again.status == 0)
        #expect(files("online", in: dir) == first, "same seed, same bytes")
    }

    // With the unseen obstacle, the energy planner's steps stay within the reach it has seen
    // and get round; CEM through the learnt dynamics does not yet (quick run: EBM 0.5 / 1 / 1,
    // FF 0 / 0.25 / 0.75 at 0 / 80 / 160 steps).
    @Test func onlineWithAnUnseenObstacleFavoursTheEnergy() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run("ebm-plan", ["experiment", "online", "--quick", "--obstacle", "--out", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try objects(result.stdout).last)
        #expect(summary["evaluation_obstacles"] as? Int == 1)
        let curves = try #require(summary["curves"] as? [[String: Any]])
        func mean(_ method: String) -> [Double] {
            curves.first { $0["method"] as? String == method }?["mean"] as? [Double] ?? []
        }
        let (ebm, ff) = (mean("ebm"), mean("ff"))
        #expect(ebm.count == 3 && ff.count == 3)
        #expect(zip(ebm, ff).allSatisfy { $0 >= $1 } && ebm.last! > ff.last!, "\(result.stdout)")
    }

    @Test(arguments: [
        ["experiment", "obstacles", "--episodes", "0"],
        ["experiment", "exploration", "--env", "reacher", "--quick"],
        ["experiment", "diversity", "--out", "/proc/ebm-nowhere"],
        ["experiment", "online", "--env", "reacher", "--quick"],
        ["experiment", "online", "--budget", "3"],
        ["experiment", "nonsense"],
    ])
    func badInputIsOneLine(arguments: [String]) throws {
        let result = try run("ebm-plan", arguments)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.hasPrefix("ebm-plan: error: ") == true, "stderr: \(result.stderr)")
    }
}
