import EBMCore
import EBMPlanners
import Testing

/// A hand-set energy with a wall: 100 for every transition that crosses x = 0 below y = 0.5,
/// 0 otherwise — the maze's problem in its simplest form.
struct WallEnergy: TaskCost {
    static func crosses(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Bool {
        guard (a.x < 0) != (b.x < 0) else { return false }
        let u = (0 - a.x) / (b.x - a.x)
        return a.y + u * (b.y - a.y) < 0.5
    }

    func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
        let shape = PlanShape(of: plans)
        let costs = (0..<shape.chains).map { c -> Float in
            (0..<shape.horizon).reduce(0) { sum, k in
                let o = (c * (shape.horizon + 1) + k) * 2
                let s = plans.scalars
                return sum + (Self.crosses(SIMD2(s[o], s[o + 1]), SIMD2(s[o + 2], s[o + 3])) ? 100 : 0)
            }
        }
        return (costs, Tensor(zeros: plans.shape))
    }
}

@Suite("Roadmap")
struct RoadmapTests {
    @Test func findsThePathAroundAWallThatOnlyTheEnergyKnows() {
        let roadmap = Roadmap(lower: [-1, -1], upper: [1, 1], spacing: 0.1)
        let goal = GoalCost(goal: SIMD2(0.5, -0.5), weight: 10, power: 4, map: .coordinates(x: 0, y: 1))
        let (plan, moves) = roadmap.plan(from: [-0.52, -0.49], horizon: 40, model: WallEnergy(), taskCost: goal)
        #expect(plan.shape == [41, 2])
        #expect(plan.row(0) == [-0.52, -0.49])
        let points = (0...40).map { SIMD2(plan.row($0)[0], plan.row($0)[1]) }
        #expect(!zip(points.dropFirst(), points.dropFirst(2)).contains { WallEnergy.crosses($0, $1) })
        #expect(points.contains { $0.y >= 0.5 }, "the path goes over the wall's end")
        #expect(abs(points[40].x - 0.5) < 1e-5 && abs(points[40].y + 0.5) < 1e-5, "ends at the goal: \(points[40])")
        // Every step moves until the path arrives, then it rests; lattice steps are one spacing.
        #expect((1..<moves).allSatisfy { points[$0] != points[$0 + 1] })
        #expect((moves..<40).allSatisfy { points[$0 + 1] == points[40] })
        #expect(zip(points.dropFirst(), points.dropFirst(2)).allSatisfy { max(abs($1.x - $0.x), abs($1.y - $0.y)) < 0.1 + 1e-5 })
        // The shortest way round passes the wall's end (0, 0.5): 10 steps there and 10 back down,
        // diagonal steps covering both coordinates at once.
        #expect(moves == 20, "\(moves) moves")
    }

    @Test func withoutTheWallThePathIsStraight() {
        struct Free: TaskCost {
            func costAndGradient(_ plans: Tensor) -> (costs: [Float], gradient: Tensor) {
                ([Float](repeating: 0, count: plans.shape[0]), Tensor(zeros: plans.shape))
            }
        }
        let roadmap = Roadmap(lower: [-1, -1], upper: [1, 1], spacing: 0.1)
        let goal = GoalCost(goal: SIMD2(0.5, -0.5), weight: 10, power: 4, map: .coordinates(x: 0, y: 1))
        let (plan, moves) = roadmap.plan(from: [-0.5, -0.5], horizon: 40, model: Free(), taskCost: goal)
        #expect(moves == 10)
        #expect(abs(plan.row(40)[0] - 0.5) < 1e-5 && abs(plan.row(40)[1] + 0.5) < 1e-5)
    }

    @Test func badSettingsAreNamed() {
        let bad = LangevinPlannerConfiguration(roadmap: Roadmap(lower: [-1], upper: [1, 1], spacing: 0.1))
        #expect(bad.problem?.contains("roadmap") == true)
        let zero = LangevinPlannerConfiguration(roadmap: Roadmap(lower: [-1, -1], upper: [1, 1], spacing: 0))
        #expect(zero.problem?.contains("spacing") == true)
    }
}
