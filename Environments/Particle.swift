import EBMCore

/// The particle of SPEC §4: a point in [−1, 1]² that moves by a / (20·max(‖a‖∞, 1)) per step.
///
/// A move whose segment meets an obstacle is blocked (the state stays), then the position is
/// clipped to [−1, 1]². Reward −‖s − g‖₁; success, which ends the episode, when ‖s − g‖₁ < 0.01;
/// time limit 100 steps. `reset(seed:)` draws start and goal uniformly from the free part of
/// [−1, 1]².
public struct Particle: ExactInverseDynamics {
    public typealias State = SIMD2<Double>
    public typealias Action = SIMD2<Double>

    public static let name = "particle"
    /// The square the particle lives in.
    public static let workspace = PointMass.workspace

    private var world: PointMass

    /// A particle with no obstacles, in the episode `reset(seed: 0)` starts.
    public init() {
        world = PointMass(walls: [], start: .zero, goal: .zero, timeLimit: 100)
        // Cannot throw: without obstacles every sampled start and goal is admissible.
        _ = try? world.reset(seed: 0, start: nil, goal: nil, obstacles: [])
    }

    public var state: State { world.state }
    public var goal: SIMD2<Double> { world.goal }
    public var steps: Int { world.steps }
    /// Obstacles of the current episode; set them with `reset(seed:start:goal:obstacles:)`.
    public var obstacles: [Obstacle] { world.obstacles }
    public var timeLimit: Int {
        get { world.timeLimit }
        set { world.timeLimit = newValue }
    }
    public var successRule: SuccessRule {
        get { world.successRule }
        set { world.successRule = newValue }
    }

    /// A new episode keeping the current obstacles.
    @discardableResult
    public mutating func reset(seed: UInt64, start: State?, goal: SIMD2<Double>?) throws -> State {
        try world.reset(seed: seed, start: start, goal: goal, obstacles: world.obstacles)
    }

    /// A new episode with `obstacles` in place. Throws for malformed obstacles, a start outside
    /// [−1, 1]² or touching an obstacle, and a goal outside [−1, 1]² or strictly inside one.
    @discardableResult
    public mutating func reset(seed: UInt64, start: State? = nil, goal: SIMD2<Double>? = nil,
                               obstacles: [Obstacle]) throws -> State {
        try world.reset(seed: seed, start: start, goal: goal, obstacles: obstacles)
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
