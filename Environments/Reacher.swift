import EBMCore

/// The 2-link planar reacher of SPEC §4 (MuJoCo Reacher-v5's constants).
///
/// State (q1, q2, q̇1, q̇2) in rad and rad/s; action u ∈ [−1, 1]² (clipped), joint torques 200·u;
/// control period 0.02 s (two RK4 steps of 0.01 s). Goals are fingertip positions.
/// Reward −‖fingertip − goal‖ − ‖u‖², with u the clipped control actually applied (so an
/// out-of-range request costs no more than the bound it is clipped to). Episodes always run
/// 50 steps; success is judged on the final fingertip distance (< 0.02).
///
/// `reset(seed:)` draws q ~ U(−0.1, 0.1)², q̇ ~ U(−0.005, 0.005)² and a goal uniform in the disk
/// of radius 0.2. Given goals may lie up to 0.21 from the base (the arm's full reach).
public struct Reacher: Environment {
    public typealias State = SIMD4<Double>
    public typealias Action = SIMD2<Double>

    public static let name = "reacher"
    /// Goals farther than this from the base are unreachable and rejected, m.
    public static let reach = 0.21
    /// Random goals are uniform in the disk of this radius, m.
    public static let goalRadius = 0.2

    /// The arm's equations of motion; `dynamics.parameters` are this environment's constants.
    public let dynamics: ReacherDynamics
    public private(set) var state: State
    public private(set) var goal: SIMD2<Double>
    public private(set) var steps = 0
    private var over = false
    public var timeLimit = 50
    public var successRule = SuccessRule(norm: .l2, tolerance: 0.02, endsEpisode: false)

    /// A reacher with the given constants, in the episode `reset(seed: 0)` starts.
    public init(parameters: ReacherParameters = ReacherParameters()) {
        dynamics = ReacherDynamics(parameters: parameters)
        var rng = RNG(seed: 0)
        state = .zero
        goal = .zero
        state = sampleStart(using: &rng)
        goal = sampleGoal(using: &rng)
    }

    /// Throws for a non-finite start, |q2| beyond the elbow limit, and goals that are
    /// non-finite or farther than `reach` from the base.
    @discardableResult
    public mutating func reset(seed: UInt64, start: State?, goal: SIMD2<Double>?) throws -> State {
        var rng = RNG(seed: seed)
        let start = start ?? sampleStart(using: &rng)
        let goal = goal ?? sampleGoal(using: &rng)
        try requireFinite(start, as: .start)
        if abs(start[1]) > dynamics.parameters.elbowLimit {
            throw EnvironmentError.outsideWorkspace(
                .start, point: Self.array(start), workspace: "|q2| ≤ \(dynamics.parameters.elbowLimit) rad")
        }
        try requireFinite(goal, as: .goal)
        if squaredLength(goal) > Self.reach * Self.reach {
            throw EnvironmentError.outsideWorkspace(
                .goal, point: [goal.x, goal.y], workspace: "fingertip goals within \(Self.reach) of the base")
        }
        self.state = start
        self.goal = goal
        steps = 0
        over = false
        return start
    }

    public mutating func step(_ action: Action) throws -> StepResult<State> {
        if over { throw EnvironmentError.episodeOver(steps: steps) }
        try requireFinite(action, as: .action)
        state = dynamics.step(state, control: action)
        steps += 1
        let u = action.clamped(lowerBound: SIMD2(repeating: -1), upperBound: SIMD2(repeating: 1))
        let tip = goalPoint(of: state)
        let distance = successRule.distance(tip, goal)
        let success = distance < successRule.tolerance
        let terminated = success && successRule.endsEpisode
        let truncated = !terminated && steps >= timeLimit
        over = terminated || truncated
        let reward = -squaredLength(tip - goal).squareRoot() - squaredLength(u)
        return StepResult(state: state, reward: reward, terminated: terminated, truncated: truncated,
                          info: StepInfo(success: success, blocked: false, distance: distance))
    }

    /// Nothing blocks the arm.
    public func transition(from state: State, action: Action) -> (next: State, blocked: Bool) {
        (dynamics.step(state, control: action), false)
    }

    /// The fingertip.
    public func goalPoint(of state: State) -> SIMD2<Double> { dynamics.fingertip(of: SIMD2(state[0], state[1])) }

    public func geometry(at state: State) -> Geometry {
        let q = SIMD2(state[0], state[1])
        let elbow = dynamics.elbow(of: q)
        let tip = dynamics.fingertip(of: q)
        let extent = dynamics.parameters.linkLength + dynamics.parameters.fingertipOffset + 0.04
        return Geometry(bounds: Box(xmin: -extent, ymin: -extent, xmax: extent, ymax: extent), goal: goal,
                        successRule: successRule, agent: tip,
                        links: [.init(from: .zero, to: elbow), .init(from: elbow, to: tip)],
                        joints: [.zero, elbow])
    }

    public func sampleStart(using rng: inout RNG) -> State {
        SIMD4(rng.uniformDouble(-0.1, 0.1), rng.uniformDouble(-0.1, 0.1),
              rng.uniformDouble(-0.005, 0.005), rng.uniformDouble(-0.005, 0.005))
    }

    /// Uniform in the disk by rejection from its bounding square (as Reacher-v5 does).
    public func sampleGoal(using rng: inout RNG) -> SIMD2<Double> {
        while true {
            let g = SIMD2(rng.uniformDouble(-Self.goalRadius, Self.goalRadius),
                          rng.uniformDouble(-Self.goalRadius, Self.goalRadius))
            if squaredLength(g) < Self.goalRadius * Self.goalRadius { return g }
        }
    }
}

extension Reacher {
    /// Steps random-action episodes back to back for `count` control steps and returns the sum
    /// of rewards, so a benchmark can time the simulator (and the checksum keeps the work from
    /// being optimised away).
    public static func benchmarkSteps(count: Int, seed: UInt64) -> Double {
        var env = Reacher()
        var rng = RNG(seed: seed, stream: 1)
        var episode: UInt64 = 0
        var checksum = 0.0
        _ = try? env.reset(seed: seed)
        for _ in 0..<max(count, 0) {
            let action = SIMD2(rng.uniformDouble(-1, 1), rng.uniformDouble(-1, 1))
            // Cannot throw: actions are finite and the episode is reset when it ends.
            guard let result = try? env.step(action) else { break }
            checksum += result.reward
            if result.done {
                episode += 1
                _ = try? env.reset(seed: seed &+ episode)
            }
        }
        return checksum
    }
}
