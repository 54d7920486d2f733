import EBMCore
import Foundation

/// Action sequences, the state plans they roll out to and their costs.
struct ScoredRollouts {
    /// `[B·T·A]`, sequence-major.
    var actions: [Float]
    /// `[B, T+1, D]`.
    var plans: Tensor
    var costs: [Float]

    /// Index of the cheapest finite cost (the first on ties, so an incumbent in row 0 survives
    /// equal challengers), 0 if none is finite.
    var cheapest: Int {
        var best = 0
        var value = Float.infinity
        for (i, c) in costs.enumerated() where c.isFinite && c < value {
            best = i
            value = c
        }
        return best
    }

    /// Action sequence `n`.
    func sequence(_ n: Int, width: Int) -> [Float] { Array(actions[(n * width)..<((n + 1) * width)]) }
}

/// Draws, rolls out and scores batches of action sequences for the shooting planners.
///
/// The batch is split into contiguous blocks, one per thread, each rolled out by its own
/// replica of the dynamics; sequence n draws from its own stream `RNG(seed:stream: n)`, so
/// the result does not depend on the thread count or on scheduling. Costs are evaluated
/// afterwards on the whole batch on the calling thread (task costs need not be thread-safe).
struct RolloutScorer {
    /// One dynamics instance per thread: the planner's own, then replicas.
    let models: [any DynamicsModel]
    let taskCost: any TaskCost
    /// Weight of Σ_t ‖a_t‖² added to each plan's task cost.
    let actionCostWeight: Float

    /// Replicas are made here, once per planning call, so a learned model trained between
    /// calls is never stale and the copies are not remade every iteration.
    init(dynamics: any DynamicsModel, taskCost: any TaskCost, actionCostWeight: Float, threads: Int) {
        models = [dynamics] + (1..<max(threads, 1)).map { _ in dynamics.replica() as any DynamicsModel }
        self.taskCost = taskCost
        self.actionCostWeight = actionCostWeight
    }

    /// Scores `count` sequences of `horizon` actions from `state`; `draw(n, &rng, out)` writes
    /// sequence n into `out` (T·A values).
    func score(count: Int, horizon t: Int, from state: [Float], seed: UInt64,
               draw: (Int, inout RNG, UnsafeMutableBufferPointer<Float>) -> Void) -> ScoredRollouts {
        let (a, d) = (models[0].actionDimension, models[0].stateDimension)
        let width = t * a, planWidth = (t + 1) * d
        var actions = [Float](repeating: 0, count: count * width)
        var plans = [Float](repeating: 0, count: count * planWidth)
        let blocks = min(models.count, count)
        actions.withUnsafeMutableBufferPointer { u in
            plans.withUnsafeMutableBufferPointer { p in
                func run(_ block: Int) {
                    let lower = block * count / blocks, upper = (block + 1) * count / blocks
                    guard upper > lower else { return }
                    for n in lower..<upper {
                        var rng = RNG(seed: seed, stream: UInt64(n))
                        draw(n, &rng, UnsafeMutableBufferPointer(rebasing: u[(n * width)..<((n + 1) * width)]))
                    }
                    let mine = Tensor(shape: [upper - lower, t, a], scalars: Array(u[(lower * width)..<(upper * width)]))
                    let rolled = models[block].rollout(from: state, actions: mine)
                    for (i, v) in rolled.scalars.enumerated() { p[lower * planWidth + i] = v }
                }
                if blocks == 1 {
                    run(0)
                } else {
                    DispatchQueue.concurrentPerform(iterations: blocks, execute: run)
                }
            }
        }
        let plansTensor = Tensor(shape: [count, t + 1, d], scalars: plans)
        var costs = taskCost.cost(plansTensor)
        if actionCostWeight != 0 {
            for n in 0..<count {
                var sum: Float = 0
                for j in 0..<width { sum += actions[n * width + j] * actions[n * width + j] }
                costs[n] += actionCostWeight * sum
            }
        }
        return ScoredRollouts(actions: actions, plans: plansTensor, costs: costs)
    }

    /// An action sequence `[T·A]` shifted by `k` executed steps, the last action repeated to
    /// fill the end (the warm start of the shooting planners).
    static func shifted(_ sequence: [Float], by k: Int, actionDimension a: Int) -> [Float] {
        let t = sequence.count / a
        var out = sequence
        for step in 0..<t {
            let source = min(step + max(k, 0), t - 1)
            for j in 0..<a { out[step * a + j] = sequence[source * a + j] }
        }
        return out
    }
}
