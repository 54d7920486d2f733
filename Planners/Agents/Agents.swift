import EBMCore
import EBMEnvironments

/// The planners the command line and the evaluator offer.
public enum PlannerKind: String, CaseIterable, Sendable {
    /// Langevin over states with the learned energy (the toolkit's planner).
    case langevin
    /// MPPI over states with the learned energy.
    case mppi
    /// CEM over actions with the learned feed-forward dynamics model.
    case cem
    /// Random shooting over actions with the learned feed-forward dynamics model.
    case random
    /// CEM over actions on the true simulator: the reference line.
    case oracle
}

/// The learned networks an agent may use.
public struct AgentModels {
    /// Transition energy E(s_t, s_t+1).
    public var energy: Network?
    /// Inverse dynamics a_t = g(s_t, s_t+1), for environments without an analytic one.
    public var inverseDynamics: Network?
    /// Feed-forward dynamics for the action-space baselines.
    public var forwardDynamics: Network?
    /// The energy below which most observed transitions lie (`TransitionEnergyCost.feasibleLevel`).
    public var feasibleEnergy: Float?

    public init(energy: Network? = nil, inverseDynamics: Network? = nil, forwardDynamics: Network? = nil,
                feasibleEnergy: Float? = nil) {
        self.energy = energy
        self.inverseDynamics = inverseDynamics
        self.forwardDynamics = forwardDynamics
        self.feasibleEnergy = feasibleEnergy
    }

    /// The energy as `preset` prices plans: as a constraint when the preset asks for it and the
    /// model knows its feasible level.
    func energyCost(_ energy: Network, preset: PlanningPreset) -> TransitionEnergyCost {
        TransitionEnergyCost(network: energy, weight: preset.energyWeight,
                             feasibleLevel: preset.energyAsConstraint ? feasibleEnergy : nil)
    }
}

/// Builds MPC controllers for an environment's current episode.
public enum Agents {
    /// The inverse dynamics for `environment`: its analytic inverse when it has one, else the
    /// learned model.
    public static func inverseDynamics<E: Environment>(for environment: E, models: AgentModels) throws -> any InverseDynamics {
        if let exact = environment as? any ExactInverseDynamics {
            return Self.exact(exact)
        }
        guard let network = models.inverseDynamics else {
            throw EvaluationError("\(E.name) needs a learned inverse dynamics model, and the model file has none")
        }
        return LearnedInverseDynamics(network: network)
    }

    private static func exact<X: ExactInverseDynamics>(_ environment: X) -> any InverseDynamics {
        EnvironmentInverseDynamics(environment)
    }

    /// A controller for the episode `environment` is in (its goal; `obstacles` as cost).
    public static func controller<E: Environment>(for environment: E, obstacles: [Obstacle], planner: PlannerKind,
                                                  models: AgentModels, preset: PlanningPreset) throws -> MPCController {
        let task = preset.taskCost(goal: environment.goal, obstacles: obstacles)
        switch planner {
        case .langevin:
            guard let energy = models.energy else { throw EvaluationError("the langevin planner needs an energy model") }
            let planner = LangevinPlanner(configuration: preset.langevin, model: models.energyCost(energy, preset: preset),
                                          taskCost: task, inverseDynamics: try inverseDynamics(for: environment, models: models))
            return MPCController(planner: planner, replanThreshold: preset.replanThreshold)
        case .mppi:
            guard let energy = models.energy else { throw EvaluationError("the mppi planner needs an energy model") }
            let planner = MPPIPlanner(configuration: preset.mppi, model: models.energyCost(energy, preset: preset),
                                      taskCost: task, inverseDynamics: try inverseDynamics(for: environment, models: models))
            return MPCController(planner: planner, replanThreshold: preset.replanThreshold)
        case .cem, .random:
            guard let forward = models.forwardDynamics else {
                throw EvaluationError("the \(planner.rawValue) planner needs a feed-forward dynamics model")
            }
            let dynamics = LearnedDynamics(network: forward, predictsStep: true)
            let chosen: any Planner = planner == .cem
                ? CEMPlanner(configuration: preset.cem, dynamics: dynamics, taskCost: task)
                : RandomShootingPlanner(configuration: preset.randomShooting, dynamics: dynamics, taskCost: task)
            return MPCController(planner: chosen, replanThreshold: preset.replanThreshold)
        case .oracle:
            return MPCController(planner: CEMPlanner.oracle(environment: environment, taskCost: task, configuration: preset.cem),
                                 replanThreshold: preset.replanThreshold)
        }
    }
}
