import EBMEnvironments
import EBMPlanners
import EBMRender
import EBMViewer
import Testing

@Suite("Planning controller in the viewer")
struct PlanningViewerControllerTests {
    static let start = SIMD2(-0.6, -0.6), goal = SIMD2(0.6, 0.6)

    func session() throws -> ViewerSession {
        let environment = try ViewedEnvironment(kind: .particle, seed: 1, start: [Self.start.x, Self.start.y], goal: Self.goal,
                                                obstacles: [.rectangle(Box(xmin: -0.2, ymin: -0.2, xmax: 0.2, ymax: 0.2))])
        let controller = try PlanningViewerController(planner: .langevin, models: HandMadeEnergy.particle(),
                                                      environment: environment, seed: 1)
        return ViewerSession(environment: environment, controller: controller, seed: 1, width: 200, height: 200,
                             chains: controller.defaultChains)
    }

    @Test func showsEveryChainsFutureInGoalSpaceAndThePlan() throws {
        var s = try session()
        let preset = PlanningPreset.standard(for: .particle).langevin
        #expect(s.chains == preset.chains)
        s.advance()
        let traces = s.scene.traces
        #expect(traces.futures.count == preset.chains && traces.futureCosts.count == preset.chains)
        // Plans are Float: each starts at the current state to Float precision.
        func isStart(_ p: SIMD2<Double>?) -> Bool { p.map { max(abs($0.x - Self.start.x), abs($0.y - Self.start.y)) < 1e-6 } ?? false }
        #expect(traces.futures.allSatisfy { $0.count == preset.horizon + 1 && isStart($0.first) })
        #expect(traces.plan.count == preset.horizon + 1 && isStart(traces.plan.first))
        #expect(traces.futureCosts.allSatisfy { $0.isFinite })
        // The plan heads for the goal: its end is nearer to it than the start is.
        let end = try #require(traces.plan.last)
        #expect(((end - Self.goal) * (end - Self.goal)).sum() < ((Self.start - Self.goal) * (Self.start - Self.goal)).sum())
        #expect(s.environment.steps == 1 && s.scene.geometry.agent != Self.start)
        #expect(s.title.contains("planner langevin") && s.title.contains("plan ") && s.planMilliseconds != nil)
    }

    @Test func chainKeysRebuildThePlannerWithThatManyChains() throws {
        var s = try session()
        s.handle(.moreChains)
        s.advance()
        #expect(s.scene.traces.futures.count == 2 * PlanningPreset.standard(for: .particle).langevin.chains)
        s.handle(.fewerChains)
        s.handle(.fewerChains)
        s.advance()
        #expect(s.scene.traces.futures.count == PlanningPreset.standard(for: .particle).langevin.chains / 2)
    }

    @Test func heatmapShowsTheEnergyOfNextPositionsAroundTheParticle() throws {
        var s = try session()
        s.handle(.toggleHeatmap)
        let heatmap = try #require(s.scene.heatmap)
        #expect(heatmap.rows == 48 && heatmap.columns == 48)
        // Four reaches (0.05 each) on each side of the particle.
        #expect(abs(heatmap.region.lower.x - (Self.start.x - 0.2)) < 1e-9 && abs(heatmap.region.upper.y - (Self.start.y + 0.2)) < 1e-9)
        // Steps within reach cost nothing; the window's corners are far beyond it.
        #expect(heatmap.values[24 * 48 + 24] == 0 && heatmap.values[0] > 1)
        s.advance()
        let moved = try #require(s.scene.heatmap)
        #expect(moved.region != heatmap.region)
    }

    @Test func aPlannerThatCannotRunHereFailsAtStartInOneLine() throws {
        let environment = try ViewedEnvironment(kind: .particle, seed: 0, goal: nil, obstacles: [])
        let error = #expect(throws: (any Error).self) {
            try PlanningViewerController(planner: .langevin, models: AgentModels(), environment: environment, seed: 0)
        }
        #expect(error.map { "\($0)".contains("energy model") && !"\($0)".contains("\n") } == true)
    }

    @Test func aPlannerThatHasNotPlannedShowsNothing() {
        let planner = LangevinPlanner(model: CompositeCost([]), taskCost: CompositeCost([]),
                                      inverseDynamics: EnvironmentInverseDynamics(Particle()))
        #expect(SceneTraces(planner: planner, in: Particle()) == SceneTraces())
    }
}
