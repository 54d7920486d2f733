import EBMCore
import EBMEnvironments
import Testing

/// Every rejection is one clear line and leaves the environment as it was.
@Suite("Bad input")
struct BadInputTests {
    func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    func isOneLine(_ text: String?) -> Bool { text.map { !$0.isEmpty && !$0.contains("\n") } ?? false }

    @Test func wrongActionLength() throws {
        var particle = Particle()
        #expect(throws: EnvironmentError.wrongLength(.action, environment: "particle", expected: 2, got: 3)) {
            try particle.step([0.1, 0.2, 0.3])
        }
        var reacher = Reacher()
        let text = message { _ = try reacher.step([0.5]) }
        #expect(text == "action has 1 values; reacher expects 2")
        #expect(particle.steps == 0 && reacher.steps == 0)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteActions(bad: Double) throws {
        var particle = Particle()
        let before = particle.state
        // NaN ≠ NaN, so the error is checked by its text rather than by equality.
        let particleText = message { _ = try particle.step(SIMD2(bad, 0)) }
        #expect(particleText == "action [\(bad), 0.0] contains NaN or infinity")
        #expect(particle.state == before && particle.steps == 0)
        var maze = Maze()
        #expect(isOneLine(message { _ = try maze.step([0, bad]) }))
        #expect(maze.state == Maze.defaultStart)
        var reacher = Reacher()
        let start = reacher.state
        let text = message { _ = try reacher.step(SIMD2(bad, bad)) }
        #expect(isOneLine(text) && text!.contains("NaN or infinity"))
        #expect(reacher.state == start && reacher.steps == 0)
    }

    @Test func goalsOutsideTheWorkspace() throws {
        var particle = Particle()
        let text = message { _ = try particle.reset(seed: 0, start: nil, goal: SIMD2(1.5, 0)) }
        #expect(text == "goal [1.5, 0.0] is outside the workspace ([-1, 1] × [-1, 1])")
        var maze = Maze()
        #expect(throws: EnvironmentError.self) { try maze.reset(seed: 0, start: nil, goal: SIMD2(0, -1.01)) }
        var reacher = Reacher()
        let before = reacher.goal
        let far = message { _ = try reacher.reset(seed: 0, start: nil, goal: SIMD2(0.2, 0.1)) }  // 0.2236 from the base
        #expect(isOneLine(far) && far!.contains("within 0.21 of the base"))
        #expect(reacher.goal == before)
        #expect(throws: Never.self) { try reacher.reset(seed: 0, start: nil, goal: SIMD2(0.21, 0)) }
        #expect(throws: EnvironmentError.self) { try reacher.reset(seed: 0, start: nil, goal: Reacher.vector([0.1, .nan], as: .goal)) }
    }

    @Test func obstaclesContainingTheStart() throws {
        var particle = Particle()
        let square = Obstacle.rectangle(Box(xmin: -0.1, ymin: -0.1, xmax: 0.1, ymax: 0.1))
        #expect(throws: EnvironmentError.insideObstacle(.start, point: [0, 0], obstacle: square)) {
            try particle.reset(seed: 0, start: .zero, obstacles: [square])
        }
        #expect(particle.obstacles.isEmpty)
        // Touching counts: every move from the boundary would be blocked.
        let disc = Obstacle.circle(center: SIMD2(0.5, 0), radius: 0.5)
        let text = message { try particle.reset(seed: 0, start: .zero, obstacles: [disc]) }
        #expect(text == "start [0.0, 0.0] lies inside obstacle circle (cx 0.5, cy 0.0, r 0.5)")
        var maze = Maze()
        #expect(throws: EnvironmentError.insideWall(.start, point: [-0.25, 0], wall: Maze.walls[0])) {
            try maze.reset(seed: 0, start: SIMD2(-0.25, 0), goal: nil)
        }
        let aroundStart = Obstacle.rectangle(Box(xmin: -0.95, ymin: -0.95, xmax: -0.75, ymax: -0.75))
        #expect(throws: EnvironmentError.insideObstacle(.start, point: [-0.85, -0.85], obstacle: aroundStart)) {
            try maze.reset(seed: 0, obstacles: [aroundStart])
        }
    }

    @Test func malformedObstacles() {
        // The reference code's [top, left, bottom, right] read as [xmin, ymin, xmax, ymax].
        let swapped = message { _ = try Obstacle([0.5, 0.1, 0.1, 0.5]) }
        #expect(swapped == "invalid obstacle: rectangle [0.5, 0.1, 0.1, 0.5] has xmin ≥ xmax; expected [xmin, ymin, xmax, ymax]")
        #expect(isOneLine(message { _ = try Obstacle([0, 0.2, 1, 0.2]) }))
        #expect(isOneLine(message { _ = try Obstacle([0, 0, -1]) }))
        #expect(isOneLine(message { _ = try Obstacle([0, 0]) }))
        #expect(isOneLine(message { _ = try Obstacle([0, .nan, 1, 1]) }))
        var particle = Particle()
        let empty = Obstacle.rectangle(Box(xmin: 0.3, ymin: 0.3, xmax: 0.3, ymax: 0.4))
        #expect(throws: EnvironmentError.self) { try particle.reset(seed: 0, obstacles: [empty]) }
    }

    @Test func unknownEnvironmentsAndCounts() {
        #expect(message { _ = try EnvironmentKind(named: "cartpole") }
                == "unknown environment 'cartpole'; expected one of: particle, maze, reacher")
        #expect(throws: EnvironmentError.invalidCount("episodes", -1)) {
            try EnvironmentKind.particle.randomRollouts(episodes: -1, seed: 0)
        }
        #expect(throws: EnvironmentError.invalidCount("steps", 0)) {
            try Reacher().randomRollouts(episodes: 1, steps: 0, seed: 0)
        }
    }
}
