import EBMEnvironments
import EBMRender
import EBMViewer
import Testing

@Suite("Viewer session")
struct ViewerSessionTests {
    /// A session driven by random actions, which needs no model.
    func session(_ arguments: [String]) throws -> ViewerSession {
        try ViewerOptions.parse(["--planner", "random-actions"] + arguments).makeSession()
    }

    @Test func randomControllerStepsAndRecordsTheExecutedPath() throws {
        var s = try session(["--env", "particle", "--goal", "0.9,0.9", "--seed", "4"])
        let start = s.scene.geometry.agent
        for _ in 0..<10 { s.advance() }
        #expect(s.environment.steps == 10)
        let executed = s.scene.traces.executed
        #expect(executed.count == 11 && executed.first == start && executed.last == s.scene.geometry.agent)
        // A placeholder controller plans nothing, and the picture must not pretend it did.
        #expect(s.scene.traces.futures.isEmpty && s.scene.traces.plan.isEmpty)
        #expect(s.title.contains("planner random-actions") && s.title.contains("step 10/100") && !s.title.contains("plan "))
    }

    @Test func pauseStopsStepping() throws {
        var s = try session([])
        s.handle(.togglePause)
        s.advance()
        #expect(s.environment.steps == 0 && s.title.contains("paused"))
        s.handle(.togglePause)
        s.advance()
        #expect(s.environment.steps == 1)
    }

    @Test func episodeEndsAtTheTimeLimit() throws {
        var s = try session(["--env", "reacher"])
        for _ in 0..<60 { s.advance() }
        #expect(s.environment.steps == 50 && s.done)
        s.handle(.reset)
        #expect(s.environment.steps == 0 && !s.done && s.scene.traces.executed.count == 1)
    }

    @Test func resetReturnsToTheStartWithTheSameGoal() throws {
        var s = try session(["--seed", "2"])
        let before = s.scene
        for _ in 0..<5 { s.advance() }
        s.handle(.reset)
        #expect(s.scene == before)
    }

    @Test func newGoalIsDrawnFromTheEnvironmentAndKeepsTheAgentWhereItIs() throws {
        var s = try session(["--env", "reacher", "--seed", "5"])
        for _ in 0..<5 { s.advance() }
        let agent = s.scene.geometry.agent, goal = s.scene.geometry.goal
        s.handle(.newGoal)
        #expect(s.scene.geometry.goal != goal)
        #expect((s.scene.geometry.goal * s.scene.geometry.goal).sum() < Reacher.goalRadius * Reacher.goalRadius)
        #expect(s.scene.geometry.agent == agent && s.environment.steps == 0)
    }

    @Test func clickSetsTheGoalAtTheClickedWorldPoint() throws {
        var s = try session(["--env", "particle", "--seed", "1"])
        let target = SIMD2(0.5, -0.25)
        s.handle(.click(s.pixelMap.pixel(target)))
        let goal = s.scene.geometry.goal
        #expect(abs(goal.x - target.x) < 1e-12 && abs(goal.y - target.y) < 1e-12)
        #expect(s.notice == nil)
    }

    @Test func reacherRejectsClicksBeyondItsReach() throws {
        var s = try session(["--env", "reacher", "--seed", "1"])
        let goal = s.scene.geometry.goal
        for _ in 0..<3 { s.advance() }
        s.handle(.click(s.pixelMap.pixel(SIMD2(0.2, 0.1))))
        #expect(s.scene.geometry.goal == goal && s.environment.steps == 3)
        #expect(s.notice?.contains("within 0.21 of the base") == true)
        #expect(s.title.contains("rejected"))
        s.handle(.click(s.pixelMap.pixel(SIMD2(0.1, 0.1))))
        #expect(s.notice == nil)
        #expect(abs(s.scene.geometry.goal.x - 0.1) < 1e-12)
    }

    @Test func reacherReachesAClickedGoalWithTheDefaultPlanner() throws {
        // What a person sees after clicking: the arm, driven by the embedded model and the
        // Langevin preset, brings its fingertip to the clicked point within the episode.
        var s = try ViewerOptions.parse(["--env", "reacher", "--seed", "1"]).makeSession()
        for _ in 0..<3 { s.advance() }
        let target = SIMD2(-0.05, 0.15)
        s.handle(.click(s.pixelMap.pixel(target)))
        #expect(s.notice == nil && s.environment.steps == 0 && s.controller.name == "langevin")
        while !s.done { s.advance() }
        let tip = s.scene.geometry.agent
        #expect(s.success, "fingertip \(tip), goal \(target)")
        #expect(((tip - target) * (tip - target)).sum().squareRoot() < 0.02)
    }

    @Test func chainsDoubleAndHalveWithinTheirRange() throws {
        var s = try session([])
        #expect(s.chains == ViewerSession.defaultChains)
        s.handle(.moreChains)
        #expect(s.chains == 2 * ViewerSession.defaultChains && s.title.contains("chains \(s.chains)"))
        for _ in 0..<20 { s.handle(.fewerChains) }
        #expect(s.chains == 1)
        for _ in 0..<20 { s.handle(.moreChains) }
        #expect(s.chains == ViewerSession.chainRange.upperBound)
    }

    @Test func heatmapKeyAsksTheControllerOnlyWhileOnAndOnlyForNewStates() throws {
        let environment = try ViewedEnvironment(kind: .particle, seed: 0, start: [0, 0], goal: SIMD2(0.9, 0.9), obstacles: [])
        var s = ViewerSession(environment: environment, controller: CountingHeatmapController(), seed: 0,
                              width: 100, height: 100)
        s.advance()
        #expect(s.scene.heatmap == nil && s.title.contains("heatmap off"))
        s.handle(.toggleHeatmap)
        #expect(s.scene.heatmap?.values == [1] && s.title.contains("heatmap on"))
        s.handle(.togglePause)
        s.advance()
        // Paused: the state did not change, so the field is not recomputed.
        s.handle(.toggleHeatmap)
        s.handle(.toggleHeatmap)
        #expect(s.scene.heatmap?.values == [1])
        s.handle(.togglePause)
        s.advance()
        #expect(s.scene.heatmap?.values == [2])
        s.handle(.toggleHeatmap)
        #expect(s.scene.heatmap == nil)
        // A random controller has no field to show.
        var random = try session([])
        random.handle(.toggleHeatmap)
        #expect(random.scene.heatmap == nil && random.title.contains("heatmap on (no source)"))
    }

    @Test func keysMapToInputs() {
        #expect(ViewerInput(character: " ") == .togglePause)
        #expect(ViewerInput(character: "R") == .reset)
        #expect(ViewerInput(character: "n") == .newGoal)
        #expect(ViewerInput(character: "h") == .toggleHeatmap)
        #expect(ViewerInput(character: "+") == .moreChains)
        #expect(ViewerInput(character: "-") == .fewerChains)
        #expect(ViewerInput(character: "x") == nil)
    }

    @Test func screenshotReportDescribesTheFrame() throws {
        let s = try session(["--env", "reacher", "--goal", "0.1,0.05"])
        let report = ScreenshotReport(session: s, image: PNGImage(width: 3, height: 2), file: "out/r.png")
        #expect(report.goal == [0.1, 0.05] && report.joints.count == 2 && report.region == [-0.27, -0.27, 0.27, 0.27])
        #expect(report.width == 3 && report.height == 2 && report.planner == "random-actions" && report.futures == 0)
        #expect(report.start == report.agent && report.planMilliseconds == nil)
        #expect(report.json.hasPrefix("{\"agent\":") && !report.json.contains("\n"))
    }
}

/// Stands still and numbers the heatmaps it is asked for, so tests can see when the session
/// recomputes one.
private struct CountingHeatmapController: ViewerController {
    private let calls = Counter()

    var name: String { "counting" }

    mutating func reset() {}

    mutating func decide(in environment: ViewedEnvironment, chains: Int) -> ControllerDecision {
        ControllerDecision(action: SIMD2(0.5, 0))
    }

    func heatmap(for environment: ViewedEnvironment) -> Heatmap? {
        calls.value += 1
        return Heatmap(region: environment.geometry.bounds, rows: 1, columns: 1, values: [Double(calls.value)])
    }

    /// `heatmap(for:)` is non-mutating, as for real controllers, so the count lives in a box.
    private final class Counter {
        var value = 0
    }
}
