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
}
