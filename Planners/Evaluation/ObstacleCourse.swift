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

extension Environment {
    /// A new episode from `start` towards `goal` (nil: drawn as by `reset(seed:)`) with
    /// `obstacles`; environments that cannot carry obstacles refuse a non-empty list with one
    /// clear error.
    public mutating func reset(seed: UInt64, start: State?, goal: SIMD2<Double>?, obstacles: [Obstacle]) throws {
        guard !obstacles.isEmpty else {
            try reset(seed: seed, start: start, goal: goal)
            return
        }
        guard var course = self as? any ObstacleCourse else {
            throw EvaluationError("\(Self.name) episodes cannot carry obstacles")
        }
        try Self.reset(&course, seed: seed, start: start, goal: goal, obstacles: obstacles)
        self = course as! Self
    }

    private static func reset<C: ObstacleCourse>(_ course: inout C, seed: UInt64, start: State?, goal: SIMD2<Double>?,
                                                 obstacles: [Obstacle]) throws {
        // Same concrete type as Self: the cast only re-types the start state.
        try course.reset(seed: seed, start: start.map { $0 as! C.State }, goal: goal, obstacles: obstacles)
    }
}
