import EBMCore

/// One round's training data.
public struct OnlineBatch {
    /// Observed transitions [s_t, s_t+1]: the round's fresh ones, then replayed ones.
    public var positives: Tensor
    /// The action of each observed transition.
    public var actions: Tensor
    /// The round's executed plan transitions [s_t, planned s_t+1]: what the planner believed
    /// the world would do from the states it acted in.
    public var planned: Tensor
    /// Moves the world refused [s_t, commanded s_t+1], drawn from all refused so far: known
    /// infeasible transitions (nil when there are none or the settings use none).
    public var refused: Tensor?
    /// What the world did instead [s_t, observed s_t+1], row for row with `refused`.
    public var refusedOutcomes: Tensor?
}

/// What one optimiser step reports.
public struct OnlineLearningStatistics: Sendable {
    public var loss: Float
    /// mean E(x⁻) − mean E(x⁺) for energy learners, over the planned negatives (refused moves
    /// aside: they measure the walls, not the planner); nil for others.
    public var energyGap: Float?
}

/// The model the online loop trains, updated in place by one optimiser step per round.
///
/// A protocol so that the loop — environments, replay, effort, checkpoints — is one piece of
/// code for every method; a method only says how its network learns from a round.
protocol OnlineLearner {
    /// The network the planners read; their replicas copy it after every step.
    var network: Network { get }
    mutating func learn(_ batch: OnlineBatch, rng: inout RNG) throws -> OnlineLearningStatistics
    /// Writes the optimiser and buffer state into `bundle`.
    func store(in bundle: inout TransitionModelBundle)
    /// Continues from the state `store` wrote, `steps` optimiser steps in.
    mutating func restore(from bundle: TransitionModelBundle, steps: Int) throws
}
