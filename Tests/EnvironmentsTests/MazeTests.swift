import EBMCore
import EBMEnvironments
import Testing

@Suite("Maze")
struct MazeTests {
    func insideAnyWall(_ p: SIMD2<Double>) -> Bool { Maze.walls.contains { $0.contains(p) } }

    @Test func wallsAreTheSpecifiedRectangles() {
        #expect(Maze.walls == [
            .rectangle(Box(xmin: -0.5, ymin: -1, xmax: 0, ymax: 0.25)),
            .rectangle(Box(xmin: 0.5, ymin: -0.25, xmax: 1, ymax: 1)),
        ])
        let maze = Maze()
        #expect(maze.state == SIMD2(-0.85, -0.85) && maze.goal == SIMD2(0.7, -0.8) && maze.timeLimit == 300)
        #expect(maze.geometry.walls == Maze.walls)
    }

    @Test func noMoveEndsInsideAWallFromAnySide() {
        let maze = Maze()
        var rng = RNG(seed: 11)
        var blocked = 0
        for wall in Maze.walls {
            guard case .rectangle(let box) = wall else { continue }
            var probes = 0
            while probes < 4_000 {
                // A free start in a band 0.07 wide around the wall (all four sides), aimed at a
                // random point inside it.
                let start = SIMD2(rng.uniformDouble(box.lower.x - 0.07, box.upper.x + 0.07),
                                  rng.uniformDouble(box.lower.y - 0.07, box.upper.y + 0.07))
                if insideAnyWall(start) || !Maze.workspace.contains(start) { continue }
                let target = SIMD2(rng.uniformDouble(box.lower.x, box.upper.x),
                                   rng.uniformDouble(box.lower.y, box.upper.y))
                let (next, wasBlocked) = maze.transition(from: start, action: 20 * (target - start))
                #expect(!insideAnyWall(next), "moved from \(start) into a wall at \(next)")
                if wasBlocked {
                    blocked += 1
                    #expect(next == start)
                }
                probes += 1
            }
        }
        #expect(blocked > 1_000)
    }

    @Test func randomWalksNeverEnterAWall() {
        let maze = Maze()
        var rng = RNG(seed: 12)
        for _ in 0..<40 {
            var s = maze.sampleStart(using: &rng)
            #expect(!insideAnyWall(s))
            for _ in 0..<300 {
                s = maze.next(s, SIMD2(rng.uniformDouble(-1, 1), rng.uniformDouble(-1, 1)))
                #expect(!insideAnyWall(s))
            }
        }
    }

    @Test func waypointsThroughBothGapsReachTheGoal() throws {
        var maze = Maze()
        try maze.reset(seed: 0)
        // Up the left corridor, over wall A, down between the walls, under wall B.
        var waypoints: [SIMD2<Double>] = [SIMD2(-0.75, 0.6), SIMD2(0.25, 0.6), SIMD2(0.25, -0.6), maze.goal]
        var last: StepResult<SIMD2<Double>>?
        while last?.done != true {
            let target = waypoints[0]
            let result = try maze.step(20 * (target - maze.state))
            #expect(!result.info.blocked)
            let offset = maze.state - target
            if waypoints.count > 1 && abs(offset.x) + abs(offset.y) < 0.01 { waypoints.removeFirst() }
            last = result
        }
        #expect(last?.terminated == true && last?.info.success == true)
        #expect(maze.steps < 150)
    }

    @Test func headingStraightForTheGoalGetsStuckAtWallA() throws {
        var maze = Maze()
        try maze.reset(seed: 0)
        var blockedSteps = 0
        var last: StepResult<SIMD2<Double>>?
        while last?.done != true {
            let result = try maze.step(20 * (maze.goal - maze.state))
            if result.info.blocked { blockedSteps += 1 }
            last = result
        }
        #expect(last?.truncated == true && last?.info.success == false)
        #expect(blockedSteps > 200)
    }

    @Test func blockedMovesLeaveTheStateUnchanged() throws {
        var maze = Maze()
        let start = SIMD2(-0.53, -0.5)
        try maze.reset(seed: 0, start: start, goal: nil)
        let result = try maze.step(SIMD2(1, 0.2))
        #expect(result.info.blocked)
        #expect(result.state == start && maze.state == start)
        #expect(maze.steps == 1)
        // Moving away is not blocked.
        #expect(try !maze.step(SIMD2(-1, 0)).info.blocked)
    }
}
