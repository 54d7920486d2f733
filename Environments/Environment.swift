import EBMCore

/// A deterministic planar control task: dynamics, episodes, goal and drawing.
///
/// An environment is a value: copying it copies its episode, and `transition(from:action:)`
/// is a pure function of its arguments and the environment's fixed configuration (walls,
/// obstacles, physical parameters), so oracle planners can call it on a copy from many threads.
/// States and actions are fixed-size SIMD vectors of `Double` so stepping never allocates;
/// callers holding arrays (command line, JSON control) convert with `vector(_:as:)`, which
/// checks length and finiteness, or step with `step(_: [Double])`.
///
/// Goals live in a planar goal space (the particle's position, the reacher's fingertip);
/// `goalPoint(of:)` maps a state there and `successRule` says when it is close enough.
public protocol Environment: Sendable {
    /// The simulated state (`stateDimension` components).
    associatedtype State: SIMD where State.Scalar == Double
    /// The control input (`actionDimension` components), nominally in [−1, 1] each.
    associatedtype Action: SIMD where Action.Scalar == Double

    /// The name used on the command line and in datasets (`particle`, `maze`, `reacher`).
    static var name: String { get }

    /// The current state.
    var state: State { get }
    /// The current episode's goal in goal space.
    var goal: SIMD2<Double> { get }
    /// Steps taken in the current episode.
    var steps: Int { get }
    /// Steps after which an episode is truncated.
    var timeLimit: Int { get }
    /// When the goal counts as reached.
    var successRule: SuccessRule { get }

    /// Starts a new episode from `start` towards `goal`. Either one left `nil` is the
    /// environment's default: drawn with `RNG(seed: seed)` from `sampleStart`/`sampleGoal`
    /// (particle, reacher) or the standard task's (maze). Invalid starts or goals throw and
    /// leave the environment unchanged. Returns the start state.
    @discardableResult
    mutating func reset(seed: UInt64, start: State?, goal: SIMD2<Double>?) throws -> State

    /// Applies `action` for one control period. Throws for non-finite actions and after the
    /// episode is over.
    mutating func step(_ action: Action) throws -> StepResult<State>

    /// The true dynamics: the state after applying `action` in `state`, and whether the move
    /// was blocked. Pure and thread-safe; expects finite actions (`step` checks, this does not).
    func transition(from state: State, action: Action) -> (next: State, blocked: Bool)

    /// The goal-space point of a state (identity for point environments, the fingertip for arms).
    func goalPoint(of state: State) -> SIMD2<Double>

    /// The scene in `state` with the current goal and obstacles, for drawing.
    func geometry(at state: State) -> Geometry

    /// A random admissible start (never touching a wall or obstacle), as random datasets use.
    func sampleStart(using rng: inout RNG) -> State
    /// A random reachable goal.
    func sampleGoal(using rng: inout RNG) -> SIMD2<Double>
}

extension Environment {
    /// Components of a state.
    public static var stateDimension: Int { State.scalarCount }
    /// Components of an action.
    public static var actionDimension: Int { Action.scalarCount }
    /// Components of a goal.
    public static var goalDimension: Int { 2 }

    /// The scene in the current state.
    public var geometry: Geometry { geometry(at: state) }

    /// The state after applying `action` in `state` (the true dynamics, see `transition`).
    public func next(_ state: State, _ action: Action) -> State {
        transition(from: state, action: action).next
    }

    /// A new episode with the default start and goal (see `reset(seed:start:goal:)`).
    @discardableResult
    public mutating func reset(seed: UInt64) throws -> State {
        try reset(seed: seed, start: nil, goal: nil)
    }

    /// `step` for callers holding arrays: the length is checked first.
    public mutating func step(_ action: [Double]) throws -> StepResult<State> {
        try step(Self.vector(action, as: .action) as Action)
    }

    /// `values` as a fixed-size vector, or a clear error for the wrong length or non-finite
    /// numbers.
    public static func vector<V: SIMD>(_ values: [Double], as subject: EnvironmentError.Subject) throws -> V
    where V.Scalar == Double {
        guard values.count == V.scalarCount else {
            throw EnvironmentError.wrongLength(subject, environment: name, expected: V.scalarCount, got: values.count)
        }
        guard values.allSatisfy(\.isFinite) else { throw EnvironmentError.nonFinite(subject, values: values) }
        return V(values)
    }

    /// `v`'s components as an array.
    public static func array<V: SIMD>(_ v: V) -> [Double] where V.Scalar == Double {
        v.indices.map { v[$0] }
    }
}

/// Throws unless every component of `v` is finite.
@inline(__always)
func requireFinite<V: SIMD>(_ v: V, as subject: EnvironmentError.Subject) throws where V.Scalar == Double {
    for i in v.indices where !v[i].isFinite {
        throw EnvironmentError.nonFinite(subject, values: v.indices.map { v[$0] })
    }
}
