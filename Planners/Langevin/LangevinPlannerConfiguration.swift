import EBMCore

/// Settings of the Langevin planner (SPEC §6).
public struct LangevinPlannerConfiguration: Codable, Equatable, Sendable {
    /// B: plans optimised in parallel (the sampled futures).
    public var chains: Int
    /// T: transitions per plan.
    public var horizon: Int
    /// K: Langevin iterations from a cold start.
    public var iterations: Int
    /// Iterations after a warm start (the shifted previous plans are already good).
    public var warmIterations: Int
    /// ε per iteration.
    public var stepSize: Schedule
    /// Largest Euclidean norm of a chain's cost gradient per iteration (nil: unclipped); see
    /// `LangevinSampler.gradientNormClip`. Not used by the presets yet: on the particle with an
    /// obstacle, ε 3e-4 with clip 30 measured 85 % vs 90 % for ε 1e-4 unclipped (20 episodes).
    public var gradientClip: Float?
    /// Langevin temperature per iteration, annealed to 0 so the last iterations descend.
    public var temperature: Schedule
    /// Cold-started chains are random walks from the current state whose last state has
    /// this standard deviation per coordinate (times its state scale).
    public var initialNoise: Float
    /// Fraction of chains, the costliest, restarted from fresh random walks at each warm start.
    public var refreshFraction: Float
    /// How the executed plan is chosen among the chains.
    public var selection: Selection
    /// Per state coordinate, the scale in which it moves (nil: 1 for all): coordinate i takes
    /// steps of ε·scale_i² (a diagonal Langevin metric), so one ε suits coordinates of very
    /// different sizes — a reacher's angles change by hundredths of a radian per control step,
    /// its speeds by radians per second.
    public var stateScales: [Float]?
    /// A global search whose path starts some chains at every optimisation (nil: none); for
    /// states of a few coordinates, such as a maze's.
    public var roadmap: Roadmap?

    public enum Selection: Codable, Equatable, Sendable {
        /// The lowest-cost chain.
        case best
        /// Average of the chains weighted by softmax(−cost/λ).
        case softmin(temperature: Float)
    }

    public init(chains: Int = 32, horizon: Int = 20, iterations: Int = 80, warmIterations: Int = 20,
                stepSize: Schedule = .constant(1e-3),
                temperature: Schedule = .polynomial(start: 1e-3, end: 0, power: 1),
                initialNoise: Float = 0.2, refreshFraction: Float = 0.25, selection: Selection = .best,
                gradientClip: Float? = nil, stateScales: [Float]? = nil, roadmap: Roadmap? = nil) {
        self.chains = chains
        self.horizon = horizon
        self.iterations = iterations
        self.warmIterations = warmIterations
        self.stepSize = stepSize
        self.temperature = temperature
        self.initialNoise = initialNoise
        self.refreshFraction = refreshFraction
        self.selection = selection
        self.gradientClip = gradientClip
        self.stateScales = stateScales
        self.roadmap = roadmap
    }

    /// The reason these settings cannot run, or nil.
    public var problem: String? {
        if chains < 1 { return "chains must be at least 1, got \(chains)" }
        if horizon < 1 { return "horizon must be at least 1, got \(horizon)" }
        if iterations < 0 || warmIterations < 0 { return "iteration counts must not be negative" }
        if !(initialNoise >= 0 && initialNoise.isFinite) { return "initial noise must be finite and non-negative" }
        if !(refreshFraction >= 0 && refreshFraction <= 1) { return "refresh fraction must be in [0, 1]" }
        if let clip = gradientClip, !(clip > 0 && clip.isFinite) { return "gradient clip must be finite and positive" }
        if case let .softmin(t) = selection, !(t > 0) { return "softmin temperature must be positive" }
        if let scales = stateScales, !scales.allSatisfy({ $0 > 0 && $0.isFinite }) { return "state scales must be finite and positive" }
        if let problem = roadmap?.problem { return problem }
        return nil
    }
}
