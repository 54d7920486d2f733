/// Everything needed to draw an environment in one state, in world coordinates.
///
/// A viewer or an SVG renderer draws any environment from this alone: the workspace
/// rectangle, fixed walls, the episode's obstacles, the goal with its success tolerance, the
/// controlled point (particle or fingertip) and, for arms, links and joints.
public struct Geometry: Sendable, Equatable {
    /// A straight link of a kinematic chain.
    public struct Link: Sendable, Equatable {
        public var from: SIMD2<Double>
        public var to: SIMD2<Double>

        public init(from: SIMD2<Double>, to: SIMD2<Double>) {
            self.from = from
            self.to = to
        }
    }

    /// The region to show; everything the environment can reach lies inside it.
    public var bounds: Box
    /// Fixed walls that are part of the environment (the maze's).
    public var walls: [Obstacle]
    /// Obstacles set for the current episode.
    public var obstacles: [Obstacle]
    /// The goal in goal space.
    public var goal: SIMD2<Double>
    /// How the goal is reached (norm and tolerance), to draw its target region.
    public var successRule: SuccessRule
    /// The point steered to the goal: the particle, or the arm's fingertip.
    public var agent: SIMD2<Double>
    /// Arm links from the base outwards (empty for point environments).
    public var links: [Link]
    /// Joint positions from the base outwards (empty for point environments).
    public var joints: [SIMD2<Double>]

    public init(bounds: Box, walls: [Obstacle] = [], obstacles: [Obstacle] = [], goal: SIMD2<Double>,
                successRule: SuccessRule, agent: SIMD2<Double>, links: [Link] = [], joints: [SIMD2<Double>] = []) {
        self.bounds = bounds
        self.walls = walls
        self.obstacles = obstacles
        self.goal = goal
        self.successRule = successRule
        self.agent = agent
        self.links = links
        self.joints = joints
    }
}
