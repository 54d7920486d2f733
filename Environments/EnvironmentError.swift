/// Bad input to an environment, as a thrown value with a one-line description.
///
/// Every check happens before any state changes, so an environment that threw is still in the
/// episode it was in.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    /// What a rejected vector was meant to be.
    public enum Subject: String, Sendable {
        case action, start, goal, state
    }

    /// A vector with the wrong number of components.
    case wrongLength(Subject, environment: String, expected: Int, got: Int)
    /// A vector containing NaN or ±infinity.
    case nonFinite(Subject, values: [Double])
    /// A start or goal outside the region the environment can reach.
    case outsideWorkspace(Subject, point: [Double], workspace: String)
    /// A start or goal inside (or, for a start, touching) an obstacle.
    case insideObstacle(Subject, point: [Double], obstacle: Obstacle)
    /// A start or goal inside (or, for a start, touching) a fixed wall.
    case insideWall(Subject, point: [Double], wall: Obstacle)
    /// An obstacle with unusable numbers (non-finite, empty, swapped bounds, wrong count).
    case invalidObstacle(String)
    /// `step` after the episode terminated or hit its time limit.
    case episodeOver(steps: Int)
    /// A name that is not one of `EnvironmentKind`'s.
    case unknownEnvironment(String)
    /// A count (episodes, steps) that must be positive.
    case invalidCount(String, Int)

    public var description: String {
        switch self {
        case let .wrongLength(subject, environment, expected, got):
            return "\(subject.rawValue) has \(got) values; \(environment) expects \(expected)"
        case let .nonFinite(subject, values):
            return "\(subject.rawValue) \(formatList(values)) contains NaN or infinity"
        case let .outsideWorkspace(subject, point, workspace):
            return "\(subject.rawValue) \(formatList(point)) is outside the workspace (\(workspace))"
        case let .insideObstacle(subject, point, obstacle):
            return "\(subject.rawValue) \(formatList(point)) lies inside obstacle \(obstacle)"
        case let .insideWall(subject, point, wall):
            return "\(subject.rawValue) \(formatList(point)) lies inside the wall \(wall)"
        case let .invalidObstacle(reason):
            return "invalid obstacle: \(reason)"
        case let .episodeOver(steps):
            return "the episode ended after \(steps) steps; call reset before stepping again"
        case let .unknownEnvironment(name):
            let known = EnvironmentKind.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown environment '\(name)'; expected one of: \(known)"
        case let .invalidCount(what, value):
            return "\(what) must be at least 1, got \(value)"
        }
    }
}
