import EBMCore
import EBMEnvironments

/// Experiment (c), diverse futures (SPEC §7): from one start, the Langevin planner samples
/// `chains` plans to a goal straight behind a central obstacle, cold, in one optimisation;
/// each plan is classified by the side it passes the obstacle on (`HomotopyClass`).
///
/// An energy-based planner samples from a distribution over futures rather than descending
/// to one optimum, so both ways round the obstacle should appear, each in a fair share.
public struct DiversityExperiment: Sendable {
    public var chains = 64
    public var seed: UInt64 = 0
    /// The central obstacle, given to the planner as cost.
    public var obstacle = Box(xmin: -0.2, ymin: -0.2, xmax: 0.2, ymax: 0.2)
    public var start = SIMD2<Double>(-0.5, 0)
    public var goal = SIMD2<Double>(0.5, 0)
    /// Langevin iterations of the one cold optimisation, and the spread of the cold random
    /// walks the chains start from. Measured (seed 0, passing left/right/short): the control
    /// preset's 80 and 0.2 leave most chains pressed against the obstacle's face (5/5/54);
    /// 80 and 0.8 give 25/17/22; 200 and 1.0 give 34/22/8 (seeds 1–3: 33/25/6, 33/27/4, 25/35/4).
    public var iterations = 200
    public var initialNoise: Float = 1.0
    /// Least share of the futures a class needs to count as found (the 10 %).
    public var minimumShare = 0.1

    public init(chains: Int = 64, seed: UInt64 = 0) {
        self.chains = chains
        self.seed = seed
    }

    /// One future: its states in goal space, cost and class.
    public struct Future: Codable, Sendable {
        public var future: Int
        public var cost: Double
        public var homotopyClass: HomotopyClass
        public var path: [[Double]]

        enum CodingKeys: String, CodingKey {
            case future, cost, homotopyClass = "class", path
        }
    }

    /// What the experiment measured.
    public struct Result: Codable, Sendable {
        public var experiment = "diversity"
        public var env = "particle"
        public var seed: UInt64
        public var chains: Int
        public var start: [Double]
        public var goal: [Double]
        public var obstacle: [Double]
        /// Futures per class, by class name.
        public var counts: [String: Int]
        /// Passing classes (left, right) holding at least `minimumShare` of the futures.
        public var distinctClasses: Int
        public var minimumShare: Double
        /// Not encoded in the summary line; written one per line.
        public var futures: [Future] = []

        enum CodingKeys: String, CodingKey {
            case experiment, env, seed, chains, start, goal, obstacle, counts
            case distinctClasses = "distinct_classes", minimumShare = "minimum_share"
        }
    }

    /// The particle episode the futures are planned in.
    public func environment() throws -> Particle {
        var env = Particle()
        try env.reset(seed: seed, start: start, goal: goal, obstacles: [.rectangle(obstacle)])
        return env
    }

    /// Samples the futures with the particle's standard Langevin preset and `chains` chains.
    public func run(models: AgentModels) throws -> Result {
        guard chains > 0 else { throw EvaluationError("chains must be at least 1, got \(chains)") }
        guard let energy = models.energy else { throw EvaluationError("the diversity experiment needs an energy model") }
        let env = try environment()
        var preset = PlanningPreset.standard(for: .particle, planner: .langevin)
        preset.langevin.chains = chains
        preset.langevin.iterations = iterations
        preset.langevin.initialNoise = initialNoise
        var planner = LangevinPlanner(configuration: preset.langevin,
                                      model: TransitionEnergyCost(network: energy, weight: preset.energyWeight),
                                      taskCost: preset.taskCost(goal: goal, obstacles: [.rectangle(obstacle)]),
                                      inverseDynamics: try Agents.inverseDynamics(for: env, models: models))
        var rng = RNG(seed: seed, stream: 1 << 32)
        planner.optimize(from: Particle.array(start).map(Float.init), executedSteps: 0, rng: &rng)
        let plans = planner.sampledPlans
        let length = plans.shape[1]
        let futures = (0..<chains).map { b -> Future in
            let path = (0..<length).map { k in
                [Double(plans.scalars[(b * length + k) * 2]), Double(plans.scalars[(b * length + k) * 2 + 1])]
            }
            let points = path.map { SIMD2($0[0], $0[1]) }
            return Future(future: b, cost: Double(planner.sampledCosts[b]),
                          homotopyClass: HomotopyClass(path: points, start: start, goal: goal, obstacle: .rectangle(obstacle)), path: path)
        }
        var counts: [String: Int] = [:]
        for c in HomotopyClass.allCases { counts[c.rawValue] = futures.filter { $0.homotopyClass == c }.count }
        let distinct = HomotopyClass.allCases.filter {
            $0.passes && Double(counts[$0.rawValue]!) >= minimumShare * Double(chains)
        }.count
        return Result(seed: seed, chains: chains, start: Particle.array(start), goal: Particle.array(goal),
                      obstacle: obstacle.bounds, counts: counts, distinctClasses: distinct, minimumShare: minimumShare,
                      futures: futures)
    }
}
