/// The environments by name, for command lines, datasets and configuration files.
public enum EnvironmentKind: String, CaseIterable, Sendable {
    case particle, maze, reacher

    /// The environment called `name`, or `EnvironmentError.unknownEnvironment`.
    public init(named name: String) throws {
        guard let kind = EnvironmentKind(rawValue: name) else { throw EnvironmentError.unknownEnvironment(name) }
        self = kind
    }

    /// Steps of one episode (the environment's time limit), the default rollout length.
    public var timeLimit: Int {
        switch self {
        case .particle: return Particle().timeLimit
        case .maze: return Maze().timeLimit
        case .reacher: return Reacher().timeLimit
        }
    }

    /// The next state `action` commands from `state` (`ExactInverseDynamics.commandedNextState`),
    /// or nil for environments without one (the reacher's torques command no position).
    public func commandedNextState(from state: [Double], action: [Double]) -> [Double]? {
        func commanded<E: ExactInverseDynamics>(_ environment: E) -> [Double]? where E.State == SIMD2<Double>, E.Action == SIMD2<Double> {
            guard state.count == 2, action.count == 2 else { return nil }
            let next = environment.commandedNextState(from: SIMD2(state[0], state[1]), action: SIMD2(action[0], action[1]))
            return [next.x, next.y]
        }
        switch self {
        case .particle: return commanded(Particle())
        case .maze: return commanded(Maze())
        case .reacher: return nil
        }
    }

    /// The next state `action` commanded from `state` when the world went to `next` instead —
    /// a move into a wall or an obstacle, or past the border: a known infeasible transition.
    /// Nil for a move the world made (observed and commanded agree to 1e-5) and for
    /// environments without commanded states.
    public func refusedMove(from state: [Float], to next: [Float], action: [Float]) -> [Float]? {
        guard let commanded = commandedNextState(from: state.map(Double.init), action: action.map(Double.init)),
              zip(commanded, next).contains(where: { abs($0 - Double($1)) > 1e-5 }) else { return nil }
        return commanded.map(Float.init)
    }
}
