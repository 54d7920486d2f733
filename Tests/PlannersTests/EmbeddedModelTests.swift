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

    // What the maze planner relies on: with the energy as a constraint (cost above the stored
    // feasible level), one step of the 0.05 lattice into or inside a wall mostly costs, and a
    // free step mostly does not. The walls come from the environment, not from the model.
    @Test func mazeWallsCostAndFreeStepsDoNot() throws {
        let bundle = try TransitionModelBundle.embedded(for: .maze)
        let level = try #require(bundle.feasibleEnergy)
        let maze = Maze()
        var rows: [Float] = [], walled: [Bool] = []
        for i in 0...40 { for j in 0...40 { for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1)] {
            let s = SIMD2(-1 + 0.05 * Double(i), -1 + 0.05 * Double(j)), t = s + 0.05 * SIMD2(Double(dx), Double(dy))
            guard abs(t.x) <= 1, abs(t.y) <= 1 else { continue }
            rows += [s.x, s.y, t.x, t.y].map(Float.init)
            walled.append(maze.geometry.walls.contains { $0.intersects(segmentFrom: s, to: t) })
        } } }
        let energies = bundle.energy.energies(of: Tensor(shape: [walled.count, 4], scalars: rows))
        let costly = zip(energies, walled).filter { $0.1 }.map { $0.0 > level }
        let free = zip(energies, walled).filter { !$0.1 }.map { $0.0 <= level }
        #expect(Float(costly.filter { $0 }.count) / Float(costly.count) > 0.8, "walled steps above the level")
        #expect(Float(free.filter { $0 }.count) / Float(free.count) > 0.8, "free steps at or below the level")
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

    @Test func mazeFindsTheSPathAroundBothWalls() throws {
        let records = try outcomes(Maze(), kind: .maze, episodes: 2)
        let successes = records.filter(\.success).count, steps = records.map(\.steps)
        #expect(successes == 2, "\(records.map(\.finalDistance))")
        #expect(steps.allSatisfy { $0 < 200 }, "\(steps) steps")
    }

    @Test func reacherReachesItsGoals() throws {
        let records = try outcomes(Reacher(), kind: .reacher, episodes: 4)
        let meanReturn = records.map(\.return).reduce(0, +) / Double(records.count)
        #expect(records.filter(\.success).count >= 3, "\(records.map(\.finalDistance))")
        #expect(meanReturn > -6, "mean return \(meanReturn)")
    }
}
