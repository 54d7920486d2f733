import EBMEnvironments

/// An environment whose episodes can carry extra obstacles (the particle and the maze).
public protocol ObstacleCourse: Environment {
    /// Obstacles of the current episode.
    var obstacles: [Obstacle] { get }
    /// A new episode with `obstacles`; nil start or goal are drawn as by `reset(seed:)`.
    @discardableResult
    mutating func reset(seed: UInt64, start: State?, goal: SIMD2<Double>?, obstacles: [Obstacle]) throws -> State
}

extension Particle: ObstacleCourse {}
extension Maze: ObstacleCourse {}
