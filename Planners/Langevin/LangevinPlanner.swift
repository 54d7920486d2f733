import EBMCore

/// Plans by Langevin dynamics over state sequences (Du, Lin & Mordatch 2019):
/// B chains of T+1 states minimise C(τ) = Σ_t E(s_t, s_t+1) + task cost(τ) with proper
/// Langevin steps x ← x − ε∇C + √(2εT_k)ξ, s_0 clamped to the current state; the temperature
/// anneals to zero so each chain ends in a local optimum, and the chains' spread is the
/// diversity of futures. Replanning shifts every chain by the executed steps (warm start).
public struct LangevinPlanner: Planner {
    public var configuration: LangevinPlannerConfiguration
    /// The world model (usually a `TransitionEnergyCost`).
    public var model: any TaskCost
    public var taskCost: any TaskCost
    public var inverseDynamics: any InverseDynamics
    public private(set) var sampledPlans: Tensor
    public private(set) var sampledCosts: [Float] = []
    public private(set) var bestPlan: Tensor

    public init(configuration: LangevinPlannerConfiguration = LangevinPlannerConfiguration(),
                model: any TaskCost, taskCost: any TaskCost, inverseDynamics: any InverseDynamics) {
        precondition(configuration.problem == nil, "invalid planner settings: \(configuration.problem!)")
        self.configuration = configuration
        self.model = model
        self.taskCost = taskCost
        self.inverseDynamics = inverseDynamics
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
    }

    public mutating func reset() {
        sampledPlans = Tensor(zeros: [0, configuration.horizon + 1, 0])
        sampledCosts = []
        bestPlan = Tensor(zeros: [configuration.horizon + 1, 0])
    }

    /// Chain starts: the previous plans shifted by `k` executed steps (the last state repeated
    /// to fill the end), or, cold, random walks from the current state; and the roadmap's path.
    func initialPlans(from state: [Float], executedSteps k: Int, roadmapPlan: Tensor?, rng: inout RNG) -> (plans: Tensor, warm: Bool) {
        let c = configuration
        let d = state.count, t = c.horizon
        let shape = PlanShape(chains: c.chains, horizon: t, stateDimension: d)
        var x = Tensor(zeros: shape.tensorShape)
        let warm = sampledPlans.shape == shape.tensorShape
        // Cold chains are random walks from the current state: spread out enough to fall into
        // different homotopy classes around obstacles, continuous enough to be plans. On a warm
        // start the worst chains are replaced by fresh walks, so the batch keeps exploring
        // instead of settling, all together, in one local optimum.
        // The roadmap's path, when there is one, replaces the costliest chains (all chains rank
        // equal on a cold start), so the batch always holds the global search's proposal.
        let increment = c.initialNoise / Float(t).squareRoot()
        let ranked = warm ? sampledCosts.indices.sorted { sampledCosts[$0] > sampledCosts[$1] } : Array(0..<c.chains)
        let roadmapped = Set(ranked.prefix(min(c.roadmap?.chains ?? 0, c.chains)))
        let refreshed = warm ? Set(ranked.dropFirst(roadmapped.count).prefix(Int(c.refreshFraction * Float(c.chains)))) : []
        for b in 0..<c.chains {
            var walk = state
            let fresh = !warm || refreshed.contains(b)
            for step in 0...t {
                let o = (b * (t + 1) + step) * d
                for i in 0..<d {
                    if let roadmapPlan, roadmapped.contains(b) {
                        x.scalars[o + i] = roadmapPlan.scalars[step * d + i]
                    } else if step == 0 {
                        x.scalars[o + i] = state[i]
                    } else if !fresh {
                        let source = min(step + max(k, 0), t)
                        x.scalars[o + i] = sampledPlans.scalars[(b * (t + 1) + source) * d + i]
                    } else {
                        walk[i] += increment * (c.stateScales?[i] ?? 1) * rng.gaussian()
                        x.scalars[o + i] = walk[i]
                    }
                }
            }
        }
        return (x, warm)
    }

    public mutating func optimize(from state: [Float], executedSteps: Int, rng: inout RNG) {
        let c = configuration
        let d = state.count, t = c.horizon
        if let scales = c.stateScales {
            precondition(scales.count == d, "\(scales.count) state scales for a \(d)-dimensional state")
        }
        let shape = PlanShape(chains: c.chains, horizon: t, stateDimension: d)
        // The roadmap's path both starts chains and says when the goal can be reached.
        let roadmap = c.roadmap.map { $0.plan(from: state, horizon: t, model: model, taskCost: taskCost) }
        var (x, warm) = initialPlans(from: state, executedSteps: executedSteps, roadmapPlan: roadmap?.plan, rng: &rng)
        let task = roadmap.map { taskCost.arriving(by: max($0.moves, 1)) } ?? taskCost
        let objective = PlanObjective(cost: CompositeCost([model, task]), shape: shape)
        let metric = c.stateScales.map { scales in (0...t).flatMap { _ in scales.map { $0 * $0 } } }
        let sampler = LangevinSampler(steps: warm ? c.warmIterations : c.iterations, stepSize: c.stepSize,
                                      mode: .proper(temperature: c.temperature), gradientNormClip: c.gradientClip,
                                      preconditioner: metric)
        let mask = [Bool](repeating: false, count: d) + [Bool](repeating: true, count: t * d)
        var flat = x.reshaped([c.chains, (t + 1) * d])
        sampler.run(&flat, energy: objective, mask: mask, rng: &rng)
        x = flat.reshaped(shape.tensorShape)
        sampledPlans = x
        sampledCosts = objective.energies(of: flat)
        bestPlan = Self.select(x, costs: sampledCosts, shape: shape, rule: c.selection)
    }

    static func select(_ plans: Tensor, costs: [Float], shape: PlanShape, rule: LangevinPlannerConfiguration.Selection) -> Tensor {
        let width = shape.planWidth
        let finite = costs.indices.filter { costs[$0].isFinite }
        let best = finite.min { costs[$0] < costs[$1] } ?? 0
        switch rule {
        case .best:
            return Tensor(shape: [shape.horizon + 1, shape.stateDimension],
                          scalars: Array(plans.scalars[(best * width)..<((best + 1) * width)]))
        case let .softmin(lambda):
            var weights = [Float](repeating: 0, count: costs.count)
            for i in finite { weights[i] = exp(-(costs[i] - costs[best]) / lambda) }
            let total = weights.reduce(0, +)
            var mean = [Float](repeating: 0, count: width)
            for (i, w) in weights.enumerated() where w > 0 {
                for j in 0..<width { mean[j] += w / total * plans.scalars[i * width + j] }
            }
            return Tensor(shape: [shape.horizon + 1, shape.stateDimension], scalars: mean)
        }
    }

    public func action(from state: [Float], alongStep k: Int) -> [Float] {
        inverseDynamics.action(from: state, to: plannedState(min(k + 1, horizon)))
    }
}

import Foundation
