import EBMCore

/// The maze of SPEC §4: the particle with two walls forming an S-shaped corridor.
///
/// Wall A = [−0.5, −1, 0, 0.25] leaves a gap above it, wall B = [0.5, −0.25, 1, 1] a gap below
/// it. Walls block by the same exact segment test as obstacles, so no move can cross a wall,
/// however thin. Start (−0.85, −0.85), goal (0.7, −0.8), success ‖s − g‖₁ < 0.01 (ends the
/// episode), time limit 300 steps. `reset(seed:)` uses that start and goal; random starts
/// (datasets) come from `sampleStart`, which never returns a point in a wall.
public struct Maze: ExactInverseDynamics {
    public typealias State = SIMD2<Double>
    public typealias Action = SIMD2<Double>

    public static let name = "maze"
    public static let workspace = PointMass.workspace
    /// Wall A, then wall B.
    public static let walls: [Obstacle] = [
        .rectangle(Box(xmin: -0.5, ymin: -1, xmax: 0, ymax: 0.25)),
        .rectangle(Box(xmin: 0.5, ymin: -0.25, xmax: 1, ymax: 1)),
    ]
    public static let defaultStart = SIMD2<Double>(-0.85, -0.85)
    public static let defaultGoal = SIMD2<Double>(0.7, -0.8)

    private var world: PointMass

    /// The maze in its standard episode.
    public init() {
        world = PointMass(walls: Self.walls, start: Self.defaultStart, goal: Self.defaultGoal,
                          timeLimit: 300)
    }

    public var state: State { world.state }
    public var goal: SIMD2<Double> { world.goal }
    public var steps: Int { world.steps }
    /// Extra obstacles of the current episode, on top of the walls.
    public var obstacles: [Obstacle] { world.obstacles }
    public var timeLimit: Int {
        get { world.timeLimit }
        set { world.timeLimit = newValue }
    }
    public var successRule: SuccessRule {
        get { world.successRule }
        set { world.successRule = newValue }
    }

    /// A new episode keeping the current obstacles; `nil` start or goal means the standard one.
    @discardableResult
    public mutating func reset(seed: UInt64, start: State?, goal: SIMD2<Double>?) throws -> State {
        try reset(seed: seed, start: start, goal: goal, obstacles: world.obstacles)
    }

    /// A new episode with extra `obstacles`. Throws for malformed obstacles, a start outside
    /// [−1, 1]² or touching a wall or obstacle, and a goal outside or strictly inside one.
    @discardableResult
    public mutating func reset(seed: UInt64, start: State? = nil, goal: SIMD2<Double>? = nil,
                               obstacles: [Obstacle]) throws -> State {
        try world.reset(seed: seed, start: start ?? Self.defaultStart, goal: goal ?? Self.defaultGoal,
                        obstacles: obstacles)
    }

    public mutating func step(_ action: Action) throws -> StepResult<State> { try world.step(action) }

    public func transition(from state: State, action: Action) -> (next: State, blocked: Bool) {
        world.transition(from: state, action: action)
    }

    public func action(from state: State, to next: State) -> Action { PointMass.action(from: state, to: next) }
    public func commandedNextState(from state: State, action: Action) -> State { PointMass.commandedTarget(from: state, action: action) }

    public func goalPoint(of state: State) -> SIMD2<Double> { state }

    public func geometry(at state: State) -> Geometry { world.geometry(at: state) }

    public func sampleStart(using rng: inout RNG) -> State { world.sampleFree(using: &rng) }

    public func sampleGoal(using rng: inout RNG) -> SIMD2<Double> { world.sampleFree(using: &rng) }
}
