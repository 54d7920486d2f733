import EBMCore

/// The point-mass world shared by `Particle` and `Maze`: a position in [−1, 1]² moved by at
/// most 0.05 per coordinate per step, stopped by walls and obstacles.
///
/// Internal so that the two public environments stay separate types with their own names,
/// defaults and documentation while sharing one implementation of SPEC §4's rules.
struct PointMass: Sendable {
    static let workspace = Box(xmin: -1, ymin: -1, xmax: 1, ymax: 1)
    static let workspaceDescription = "[-1, 1] × [-1, 1]"
    /// Δ = a / 20 after L∞ normalisation of a.
    static let actionScale = 20.0

    let walls: [Obstacle]
    private(set) var obstacles: [Obstacle] = []
    private(set) var state: SIMD2<Double>
    private(set) var goal: SIMD2<Double>
    private(set) var steps = 0
    private var over = false
    var timeLimit: Int
    var successRule = SuccessRule(norm: .l1, tolerance: 0.01, endsEpisode: true)

    init(walls: [Obstacle], start: SIMD2<Double>, goal: SIMD2<Double>, timeLimit: Int) {
        self.walls = walls
        self.state = start
        self.goal = goal
        self.timeLimit = timeLimit
    }

    /// Where `a` sends `s` when nothing is in the way and no border clips it.
    static func commandedTarget(from s: SIMD2<Double>, action a: SIMD2<Double>) -> SIMD2<Double> {
        s + a / (max(abs(a.x), abs(a.y), 1) * actionScale)
    }

    func transition(from s: SIMD2<Double>, action a: SIMD2<Double>) -> (next: SIMD2<Double>, blocked: Bool) {
        let target = Self.commandedTarget(from: s, action: a)
        // SPEC §4 tests the segment to the unclipped target. The segment to the clipped point is
        // tested too: clipping slides the endpoint along the border, and without this check it
        // could slide into a wall or obstacle that touches the border (the maze's wall B does).
        let clipped = Self.workspace.clamped(target)
        if blocks(from: s, to: target) || blocks(from: s, to: clipped) { return (s, true) }
        return (clipped, false)
    }

    private func blocks(from a: SIMD2<Double>, to b: SIMD2<Double>) -> Bool {
        for wall in walls where wall.intersects(segmentFrom: a, to: b) { return true }
        for obstacle in obstacles where obstacle.intersects(segmentFrom: a, to: b) { return true }
        return false
    }

    /// a = clip(20·(next − state), −1, 1): exact for every unblocked, unclipped step.
    static func action(from state: SIMD2<Double>, to next: SIMD2<Double>) -> SIMD2<Double> {
        (actionScale * (next - state)).clamped(lowerBound: SIMD2(repeating: -1), upperBound: SIMD2(repeating: 1))
    }

    mutating func step(_ action: SIMD2<Double>) throws -> StepResult<SIMD2<Double>> {
        if over { throw EnvironmentError.episodeOver(steps: steps) }
        try requireFinite(action, as: .action)
        let (next, blocked) = transition(from: state, action: action)
        state = next
        steps += 1
        let distance = successRule.distance(next, goal)
        let success = distance < successRule.tolerance
        let terminated = success && successRule.endsEpisode
        let truncated = !terminated && steps >= timeLimit
        over = terminated || truncated
        let offset = next - goal
        let reward = -(abs(offset.x) + abs(offset.y))
        return StepResult(state: next, reward: reward, terminated: terminated, truncated: truncated,
                          info: StepInfo(success: success, blocked: blocked, distance: distance))
    }

    /// Validates everything first and commits only if all of it is admissible.
    mutating func reset(seed: UInt64, start: SIMD2<Double>?, goal: SIMD2<Double>?,
                        obstacles newObstacles: [Obstacle]) throws -> SIMD2<Double> {
        var next = self
        next.obstacles = try newObstacles.map { try $0.validated() }
        var rng = RNG(seed: seed)
        let start = start ?? next.sampleFree(using: &rng)
        let goal = goal ?? next.sampleFree(using: &rng)
        try next.checkStart(start)
        try next.checkGoal(goal)
        next.state = start
        next.goal = goal
        next.steps = 0
        next.over = false
        self = next
        return start
    }

    /// A point that no wall or obstacle contains, uniform over the free part of the workspace.
    func sampleFree(using rng: inout RNG) -> SIMD2<Double> {
        var p = SIMD2<Double>.zero
        // Bounded so that obstacles covering everything cannot hang the caller; the caller's
        // validation then reports the last candidate as lying inside an obstacle.
        for _ in 0..<10_000 {
            p = SIMD2(rng.uniformDouble(-1, 1), rng.uniformDouble(-1, 1))
            if !walls.contains(where: { $0.contains(p) }) && !obstacles.contains(where: { $0.contains(p) }) { break }
        }
        return p
    }

    /// A start touching a wall or obstacle is rejected too: every move from it would be blocked.
    func checkStart(_ start: SIMD2<Double>) throws {
        try checkInWorkspace(start, as: .start)
        if let wall = walls.first(where: { $0.contains(start) }) {
            throw EnvironmentError.insideWall(.start, point: [start.x, start.y], wall: wall)
        }
        if let obstacle = obstacles.first(where: { $0.contains(start) }) {
            throw EnvironmentError.insideObstacle(.start, point: [start.x, start.y], obstacle: obstacle)
        }
    }

    /// A goal on a boundary is allowed (it can be approached within the tolerance); one strictly
    /// inside cannot be reached.
    func checkGoal(_ goal: SIMD2<Double>) throws {
        try checkInWorkspace(goal, as: .goal)
        if let wall = walls.first(where: { $0.signedDistance(to: goal) < 0 }) {
            throw EnvironmentError.insideWall(.goal, point: [goal.x, goal.y], wall: wall)
        }
        if let obstacle = obstacles.first(where: { $0.signedDistance(to: goal) < 0 }) {
            throw EnvironmentError.insideObstacle(.goal, point: [goal.x, goal.y], obstacle: obstacle)
        }
    }

    private func checkInWorkspace(_ p: SIMD2<Double>, as subject: EnvironmentError.Subject) throws {
        try requireFinite(p, as: subject)
        if !Self.workspace.contains(p) {
            throw EnvironmentError.outsideWorkspace(subject, point: [p.x, p.y], workspace: Self.workspaceDescription)
        }
    }

    func geometry(at s: SIMD2<Double>) -> Geometry {
        Geometry(bounds: Self.workspace, walls: walls, obstacles: obstacles, goal: goal,
                 successRule: successRule, agent: s)
    }
}
