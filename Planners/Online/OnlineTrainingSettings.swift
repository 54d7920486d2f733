import EBMEnvironments

/// Settings of online training (SPEC §5, reference §3.3). Defaults follow the paper's loop
/// where it is sound: Adam lr 1e-3 with β = (0, 0.999) for the energy, α = 1, a positive
/// replay of 10⁶ transitions, a negative replay of 10⁴ swapped in with probability 0.5, no
/// refinement of the negatives, +20 planning iterations whenever E⁻ − E⁺ > 0.15 (at most 800),
/// episodes from the environment's own starts.
public struct OnlineTrainingSettings: Equatable, Sendable {
    /// N environments stepped once per round (one optimiser step per round).
    public var environments = 8
    /// Positives per optimiser step: the round's N observed transitions plus replayed ones up
    /// to this count (the paper pairs them one to one, which leaves 16-row batches).
    public var positiveBatch = 64
    /// Adam learning rate of the energy (β = (0, 0.999)).
    public var learningRate: Float = 1e-3
    /// α of the CD loss.
    public var regularization: Float = 1
    /// Adam learning rate of the feed-forward dynamics (β1 = 0.9).
    public var regressionLearningRate: Float = 1e-3
    public var positiveReplayCapacity = 1_000_000
    public var negativeReplayCapacity = 10_000
    /// Probability that a planned negative is swapped for a replayed one.
    public var negativeReplayFraction: Float = 0.5
    /// Moves the world refused so far (all kept, up to the positive replay's capacity) drawn
    /// into each step as known negatives, as offline training's `refusedMoveNegatives`.
    public var refusedMoveNegatives = 0
    /// Training episodes start anywhere free (`Environment.sampleStart`) rather than at the
    /// environment's own start; evaluation keeps its episodes.
    public var randomStarts = false
    /// Langevin refinement of the negatives on s_t+1 (0: the planned transitions as they are).
    public var samplerSteps = 0
    /// Refinement step ε and temperature in delta-feature units (as offline training's).
    public var samplerStepSize: Float = 0.03
    public var samplerTemperature: Float = 0.1
    /// Rounds between decisions on the planning effort.
    public var adaptEvery = 10
    /// Mean E⁻ − E⁺ over those rounds above which the planner gets `iterationGrowth` more
    /// iterations: negatives the energy can still tell apart are plans that are not yet
    /// converged on what the energy believes.
    public var adaptThreshold: Float = 0.15
    public var iterationGrowth = 20
    public var maxPlanIterations = 800

    public init() {}

    /// The defaults for `kind`. The maze learns as offline (`TransitionTrainingSettings.standard(for:)`):
    /// α = 0.1, so that walls can cost more than free moves by more than α = 1's ±0.5 allows,
    /// and 64 refused moves per step. With everything below, `ebm-plan experiment online --env
    /// maze` reaches 97 % success from the standard start at 16 000 steps (3 seeds, 10 episodes
    /// each; 90 % at 12 000). Each part was needed: one at a time, seed 0 at 8000 steps went
    /// from 4/4 evaluation successes to 0/4 without it.
    /// - **Training episodes start anywhere free.** From the standard start alone, the agent
    ///   only ever bumps into wall A's lower part. The energy then extrapolates the wall up
    ///   over the gap it never saw, and the roadmap finds no way round.
    /// - **Refused moves as negatives.** The planned transitions are too few to teach the walls.
    /// - **No growth of the plan iterations** (cap 10, as the preset's 10). E⁻ − E⁺ of the
    ///   planned negatives stays above the threshold, since plans into unlearnt walls are
    ///   refused. More Langevin iterations on the rough online energy pull the roadmap's path
    ///   apart: 40 iterations gave 0/4.
    public static func standard(for kind: EnvironmentKind) -> OnlineTrainingSettings {
        var settings = OnlineTrainingSettings()
        if kind == .maze {
            settings.regularization = 0.1
            settings.refusedMoveNegatives = 64
            settings.randomStarts = true
            settings.maxPlanIterations = 10
        }
        return settings
    }

    /// The reason these settings cannot run, or nil.
    public var problem: String? {
        if environments < 1 { return "at least one environment is needed, got \(environments)" }
        if positiveBatch < 1 || positiveReplayCapacity < 1 || negativeReplayCapacity < 1 {
            return "batch and replay capacities must be positive"
        }
        if refusedMoveNegatives < 0 { return "refused-move negatives must be ≥ 0, got \(refusedMoveNegatives)" }
        if samplerSteps < 0 || adaptEvery < 1 || iterationGrowth < 0 || maxPlanIterations < 1 {
            return "sampler steps and iteration growth must be ≥ 0, the adaptation interval and iteration cap ≥ 1"
        }
        for v in [learningRate, regressionLearningRate, samplerStepSize] where !(v.isFinite && v > 0) {
            return "learning rates and the sampler step size must be positive and finite"
        }
        if !(regularization.isFinite && regularization >= 0 && samplerTemperature.isFinite && samplerTemperature >= 0
             && adaptThreshold.isFinite && (0...1).contains(negativeReplayFraction)) {
            return "α and the temperature must be ≥ 0, the threshold finite and the replay fraction in [0, 1]"
        }
        return nil
    }
}
