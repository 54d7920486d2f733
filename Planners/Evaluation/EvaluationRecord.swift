import Foundation

/// One evaluated episode, one JSON line of `ebm-plan eval` (SPEC §7).
public struct EpisodeRecord: Codable, Equatable, Sendable {
    public var env: String
    public var planner: String
    public var model: String
    public var seed: UInt64
    public var episode: Int
    public var success: Bool
    public var steps: Int
    public var finalDistance: Double
    public var `return`: Double
    public var blockedSteps: Int
    /// Mean and 95th percentile of the wall-clock milliseconds per control step.
    public var planMsMean: Double
    public var planMsP95: Double

    enum CodingKeys: String, CodingKey {
        case env, planner, model, seed, episode, success, steps
        case finalDistance = "final_distance", `return`, blockedSteps = "blocked_steps"
        case planMsMean = "plan_ms_mean", planMsP95 = "plan_ms_p95"
    }

    public init(env: String, planner: String, model: String, seed: UInt64, episode: Int, outcome: EpisodeOutcome) {
        self.env = env
        self.planner = planner
        self.model = model
        self.seed = seed
        self.episode = episode
        success = outcome.success
        steps = outcome.steps
        finalDistance = outcome.finalDistance
        self.return = outcome.totalReturn
        blockedSteps = outcome.blockedSteps
        let ms = outcome.controlTimes.map { $0 * 1000 }
        planMsMean = ms.isEmpty ? 0 : ms.reduce(0, +) / Double(ms.count)
        planMsP95 = percentile(ms, 0.95)
    }
}

/// The last line of an evaluation: aggregates over episodes, with 95 % confidence intervals.
///
/// Computed from the episode records alone, so merged shards give exactly the summary of one
/// run. `plan_ms_mean` is the mean over episodes of their mean control-step time and
/// `plan_ms_p95` the 95th percentile over episodes of their per-episode p95.
public struct EvaluationSummary: Codable, Equatable, Sendable {
    public var episodes: Int
    public var successRate: Double
    /// Wilson score interval of the success rate.
    public var successRateCI95: [Double]
    public var meanReturn: Double
    /// Normal-approximation interval of the mean return.
    public var meanReturnCI95: [Double]
    public var meanFinalDistance: Double
    public var meanSteps: Double
    public var blockedStepsTotal: Int
    /// Fraction of episodes with no blocked step.
    public var unblockedEpisodeRate: Double
    public var planMsMean: Double
    public var planMsP95: Double

    enum CodingKeys: String, CodingKey {
        case episodes, successRate = "success_rate", successRateCI95 = "success_rate_ci95"
        case meanReturn = "mean_return", meanReturnCI95 = "mean_return_ci95"
        case meanFinalDistance = "mean_final_distance", meanSteps = "mean_steps"
        case blockedStepsTotal = "blocked_steps_total", unblockedEpisodeRate = "unblocked_episode_rate"
        case planMsMean = "plan_ms_mean", planMsP95 = "plan_ms_p95"
    }

    public init(_ records: [EpisodeRecord]) {
        let n = Double(max(records.count, 1))
        episodes = records.count
        let successes = Double(records.filter(\.success).count)
        successRate = successes / n
        successRateCI95 = wilsonInterval(successes: successes, trials: Double(records.count))
        let returns = records.map(\.return)
        let mean = returns.reduce(0, +) / n
        let variance = returns.count > 1
            ? returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count - 1) : 0
        let half = 1.96 * (variance / n).squareRoot()
        meanReturn = mean
        meanReturnCI95 = [mean - half, mean + half]
        meanFinalDistance = records.map(\.finalDistance).reduce(0, +) / n
        meanSteps = Double(records.map(\.steps).reduce(0, +)) / n
        blockedStepsTotal = records.map(\.blockedSteps).reduce(0, +)
        unblockedEpisodeRate = Double(records.filter { $0.blockedSteps == 0 }.count) / n
        planMsMean = records.map(\.planMsMean).reduce(0, +) / n
        planMsP95 = percentile(records.map(\.planMsP95), 0.95)
    }
}

/// The q-quantile of `values` by the nearest-rank rule (0 for no values).
func percentile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let rank = Int((q * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank - 1, 0), sorted.count - 1)]
}

/// 95 % Wilson score interval for a binomial proportion.
func wilsonInterval(successes: Double, trials: Double) -> [Double] {
    guard trials > 0 else { return [0, 1] }
    let z = 1.96, p = successes / trials
    let denominator = 1 + z * z / trials
    let centre = (p + z * z / (2 * trials)) / denominator
    let half = z * ((p * (1 - p) / trials + z * z / (4 * trials * trials)).squareRoot()) / denominator
    return [max(0, centre - half), min(1, centre + half)]
}
