/// What a planner shows of its thinking, in world (goal-space) coordinates: the seam between
/// planners and every picture of a plan.
///
/// A planner fills `futures` with all sampled trajectories of its current optimisation (one per
/// chain) and `futureCosts` with their costs, and `plan` with the one it chose; whoever steps
/// the environment appends to `executed`. Renderers draw futures faint on a cost colour ramp,
/// the plan bold and the executed path on top of both.
public struct SceneTraces: Sendable, Equatable {
    /// Sampled futures, each a polyline through goal-space points.
    public var futures: [[SIMD2<Double>]]
    /// One cost per future (lower is better). Any other count means "no costs": all futures
    /// are then drawn in the ramp's middle colour.
    public var futureCosts: [Double]
    /// One colour per future, overriding the cost ramp when the counts match: pictures that
    /// group futures (by homotopy class, by planner) colour them by group, not by cost.
    public var futureColors: [RGBA]
    /// The chosen plan, from the current point outwards (empty: none).
    public var plan: [SIMD2<Double>]
    /// The path actually travelled so far in this episode.
    public var executed: [SIMD2<Double>]

    public init(futures: [[SIMD2<Double>]] = [], futureCosts: [Double] = [], futureColors: [RGBA] = [],
                plan: [SIMD2<Double>] = [], executed: [SIMD2<Double>] = []) {
        self.futures = futures
        self.futureCosts = futureCosts
        self.futureColors = futureColors
        self.plan = plan
        self.executed = executed
    }
}
