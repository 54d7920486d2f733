import EBMEnvironments
import EBMViewer
import Testing

@Suite("ebm-view options")
struct ViewerOptionsTests {
    func session(_ arguments: [String]) throws -> ViewerSession {
        try ViewerOptions.parse(arguments).makeSession()
    }

    /// The one-line message of whatever `arguments` throw, parsing or building the session.
    func failure(_ arguments: [String]) -> String? {
        do {
            _ = try session(arguments)
            return nil
        } catch {
            return ViewerOptions.message(for: error)
        }
    }

    @Test func negativeNumbersAreValuesNotOptions() throws {
        let s = try session(["--planner", "random-actions", "--env", "particle", "--obstacle", "-0.2,-0.2,0.2,0.2",
                             "--circle", "-0.6,0.5,0.1", "--goal", "-0.7,0.8", "--start", "-0.8,-0.9", "--seed", "3"])
        let geometry = s.scene.geometry
        #expect(geometry.goal == SIMD2(-0.7, 0.8) && geometry.agent == SIMD2(-0.8, -0.9))
        #expect(geometry.obstacles == [.rectangle(Box(xmin: -0.2, ymin: -0.2, xmax: 0.2, ymax: 0.2)),
                                       .circle(center: SIMD2(-0.6, 0.5), radius: 0.1)])
        #expect(s.seed == 3 && s.width == 640)
    }

    @Test func defaultsAreALangevinPlannerWithTheEmbeddedModelOnAParticleEpisode() throws {
        let defaults = try ViewerOptions.parse([])
        #expect(defaults.env == "particle" && defaults.planner == "langevin" && defaults.model == nil)
        let s = try session(["--planner", "random-actions"])
        #expect(s.environment.kind == .particle)
        #expect(s.controller.name == "random-actions" && s.chains == ViewerSession.defaultChains)
        #expect(try ViewerOptions.parse([]).screenshotFrames() == nil)
        #expect(try ViewerOptions.parse(["--screenshot", "a.png"]).screenshotFrames() == ViewerOptions.defaultFrames)
        #expect(try ViewerOptions.parse(["--screenshot", "a.png", "--frames", "5"]).screenshotFrames() == 5)
    }

    @Test func sameSeedGivesTheSameEpisode() throws {
        let random = ["--planner", "random-actions"]
        #expect(try session(random + ["--seed", "9"]).scene == session(random + ["--seed", "9"]).scene)
        #expect(try session(random + ["--seed", "9"]).scene != session(random + ["--seed", "10"]).scene)
    }

    @Test func reacherStartIsAFullState() throws {
        let s = try session(["--planner", "random-actions", "--env", "reacher", "--start", "0,0,0,0", "--goal", "0,0.15"])
        let tip = s.scene.geometry.agent
        #expect(s.environment.state == [0, 0, 0, 0] && abs(tip.x - 0.21) < 1e-12 && abs(tip.y) < 1e-12)
    }

    @Test(arguments: [
        (["--env", "cartpole"], "unknown environment 'cartpole'"),
        (["--goal", "0.1"], "--goal '0.1' must be 2 finite numbers"),
        (["--goal", "0.1,nan"], "--goal '0.1,nan' must be 2 finite numbers"),
        (["--env", "reacher", "--goal", "0.2,0.1"], "outside the workspace"),
        (["--env", "reacher", "--circle", "0,0,0.1"], "reacher has no obstacles"),
        (["--obstacle", "0.2,0.2,-0.2,-0.2"], "xmin ≥ xmax"),
        (["--env", "maze", "--circle", "-0.85,-0.85,0.1"], "start"),
        (["--frames", "3"], "--frames only applies with --screenshot"),
        (["--screenshot", "a.png", "--frames", "0"], "--frames must be at least 1"),
        (["--size", "10"], "--size must be between"),
        (["--start", "0.1"], "--start '0.1' must be 2 finite numbers"),
        (["--env", "reacher", "--start", "0,0"], "--start '0,0' must be 4 finite numbers"),
        (["--start", "5,5"], "start"),
        (["--planner", "astar"], "unknown planner 'astar'"),
        (["--planner", "random-actions", "--model", "m.safetensors"], "--model needs a planner that uses it"),
        (["--model", "/nonexistent/m.safetensors"], "m.safetensors"),
        (["--planner", "mppi", "--model", "/nonexistent/m.safetensors"], "m.safetensors"),
    ])
    func badInputIsOneClearLine(arguments: [String], expected: String) {
        let message = failure(arguments)
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
        #expect(message?.contains("\n") == false)
    }
}
