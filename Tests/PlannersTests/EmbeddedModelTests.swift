import EBMCore
import EBMEnvironments
import EBMPlanners
import Testing

@Suite("Embedded models")
struct EmbeddedModelTests {
    // Each shipped file must load against the current default configuration (`embedded(for:)`
    // is strict): changing a default in TransitionModelConfiguration.standard without
    // retraining fails here.
    @Test(arguments: EnvironmentKind.allCases)
    func loadsAgainstTheCurrentDefaultConfiguration(kind: EnvironmentKind) throws {
        let bundle = try TransitionModelBundle.embedded(for: kind)
        #expect(bundle.environment == kind)
        #expect(bundle.configuration == .standard(for: kind))
        #expect(bundle.agentModels.energy != nil)
        #expect(bundle.agentModels.forwardDynamics != nil)
        #expect((bundle.agentModels.inverseDynamics != nil) == (kind == .reacher))
        #expect(bundle.info["seed"] == "0")
    }

    // The shipped models still do their job on episodes they never saw (another collection
    // seed): true next states rank below states displaced by three times the action's reach,
    // and the dynamics models beat "no motion" by far.
    @Test(arguments: EnvironmentKind.allCases)
    func rankUnseenTransitions(kind: EnvironmentKind) throws {
        let bundle = try TransitionModelBundle.embedded(for: kind)
        let data = try TransitionData(kind.randomRollouts(episodes: 8, seed: 12345))
        let report = TransitionModelEvaluation.report(bundle, heldOut: data)
        #expect(report.rankingAccuracy >= 0.97, "\(kind.rawValue): \(report.rankingAccuracy)")
        #expect(report.forwardMSE < 0.25 * report.forwardMSEOfNoMotion, "\(kind.rawValue): forward \(report.forwardMSE)")
        if let inverse = report.inverseMSE { #expect(inverse < 0.05, "\(kind.rawValue): inverse \(inverse)") }
    }
}

/// The shipped models with the standard presets, in closed loop on episodes of the evaluation
/// seed: a CI-sized version of the `ebm-plan eval` figures in the README.
@Suite("Embedded models in closed loop")
struct EmbeddedModelControlTests {
    func outcomes<E: Environment>(_ environment: E, kind: EnvironmentKind, episodes: Int) throws -> [EpisodeRecord] {
        let bundle = try TransitionModelBundle.embedded(for: kind)
        let preset = PlanningPreset.standard(for: kind)
        return try Evaluator(episodes: episodes, seed: 0).run(environment: environment, planner: "langevin", model: "embedded") {
            try Agents.controller(for: $0, obstacles: [], planner: .langevin, models: bundle.agentModels, preset: preset)
        }
    }

    @Test func reacherReachesItsGoals() throws {
        let records = try outcomes(Reacher(), kind: .reacher, episodes: 4)
        let meanReturn = records.map(\.return).reduce(0, +) / Double(records.count)
        #expect(records.filter(\.success).count >= 3, "\(records.map(\.finalDistance))")
        #expect(meanReturn > -6, "mean return \(meanReturn)")
    }
}
