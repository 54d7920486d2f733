import EBMCore

/// Settings of the MPPI planner over states (SPEC §6).
public struct MPPIPlannerConfiguration: Codable, Equatable, Sendable {
    /// N: noisy copies of the plan scored per iteration (the incumbent and the sampling mean
    /// are scored on top of these).
    public var samples: Int
    /// T: transitions per plan.
    public var horizon: Int
    /// Iterations from a cold start.
    public var iterations: Int
    /// Iterations after a warm start (the shifted previous plan is already good).
    public var warmIterations: Int
    /// σ: std of the smooth noise at the first planned step; later steps get more (see
    /// `SmoothNoise`). The seed code's σ² = 1e-5 is σ ≈ 0.0032.
    public var noiseScale: Float
    /// Per-coordinate multipliers of σ, for states whose coordinates differ in scale (angles
    /// and velocities); nil means 1 for every coordinate.
    public var coordinateScales: [Float]?
    /// λ in the weights softmax(−C/λ), in units of the cost: small λ follows the best sample,
    /// large λ averages many (the seed code's 1e-4 was effectively an argmin). On the
    /// particle with goal weight 100, λ from 1 to 10 worked alike; 0.1 and below got stuck.
    public var temperature: Float

    public init(samples: Int = 64, horizon: Int = 20, iterations: Int = 20, warmIterations: Int = 5,
                noiseScale: Float = 0.004, coordinateScales: [Float]? = nil, temperature: Float = 1) {
        self.samples = samples
        self.horizon = horizon
        self.iterations = iterations
        self.warmIterations = warmIterations
        self.noiseScale = noiseScale
        self.coordinateScales = coordinateScales
        self.temperature = temperature
    }

    /// The reason these settings cannot run, or nil.
    public var problem: String? {
        if samples < 1 { return "samples must be at least 1, got \(samples)" }
        if horizon < 1 { return "horizon must be at least 1, got \(horizon)" }
        if iterations < 0 || warmIterations < 0 { return "iteration counts must not be negative" }
        if !(noiseScale >= 0 && noiseScale.isFinite) { return "noise scale must be finite and non-negative" }
        if let scales = coordinateScales, !scales.allSatisfy({ $0 >= 0 && $0.isFinite }) {
            return "coordinate scales must be finite and non-negative"
        }
        if !(temperature > 0 && temperature.isFinite) { return "temperature must be positive and finite" }
        return nil
    }
}
