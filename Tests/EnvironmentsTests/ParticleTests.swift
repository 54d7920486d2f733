import EBMCore
import EBMEnvironments
import Testing

@Suite("Particle")
struct ParticleTests {
    /// A particle at `start` heading for a far goal, with `obstacles`.
    func particle(at start: SIMD2<Double>, goal: SIMD2<Double> = SIMD2(-0.9, -0.9),
                  obstacles: [Obstacle] = []) throws -> Particle {
        var env = Particle()
        try env.reset(seed: 1, start: start, goal: goal, obstacles: obstacles)
        return env
    }

    @Test func cuttingAThinObstaclesCornerIsBlocked() throws {
        let thin = Obstacle.rectangle(Box(xmin: 0.1, ymin: 0.1, xmax: 0.12, ymax: 0.3))
        let start = SIMD2(0.08, 0.115)
        let action = SIMD2(0.9, -0.5)  // Δ = (0.045, −0.025): both endpoints outside, the segment clips the corner
        #expect(!thin.contains(start) && !thin.contains(start + action / 20))
        var env = try particle(at: start, obstacles: [thin])
        let result = try env.step(action)
        #expect(result.info.blocked)
        #expect(result.state == start)
        #expect(env.state == start)
    }

    @Test func passingBesideACornerIsNotBlocked() throws {
        // The segment's bounding box overlaps the square, the segment itself does not: an
        // AABB test would block this move, the exact test must not.
        let square = Obstacle.rectangle(Box(xmin: 0.1, ymin: 0.1, xmax: 0.12, ymax: 0.12))
        var env = try particle(at: SIMD2(0.08, 0.11), obstacles: [square])
        let result = try env.step(SIMD2(0.6, 0.6))
        #expect(!result.info.blocked)
        #expect(abs(result.state.x - 0.11) < 1e-12 && abs(result.state.y - 0.14) < 1e-12)
    }

    @Test func circlesBlockChordsButNotNearMisses() throws {
        let disc = Obstacle.circle(center: SIMD2(0.5, 0.5), radius: 0.01)
        var through = try particle(at: SIMD2(0.475, 0.5), obstacles: [disc])
        #expect(try through.step(SIMD2(1, 0)).info.blocked)
        var beside = try particle(at: SIMD2(0.475, 0.515), obstacles: [disc])
        #expect(try !beside.step(SIMD2(1, 0)).info.blocked)
    }

    @Test func positionsAreClippedToTheSquare() throws {
        var env = try particle(at: SIMD2(0.98, -0.99))
        let result = try env.step(SIMD2(1, -1))
        #expect(result.state == SIMD2(1, -1))
        #expect(!result.info.blocked)
        #expect(try env.step(SIMD2(1, -1)).state == SIMD2(1, -1))
    }

    @Test func clippingNeverSlidesThePositionIntoAnObstacle() throws {
        // The segment to the unclipped target passes above the sliver at the border; clipping
        // that target would land inside it, so the move must be blocked.
        let sliver = Obstacle.rectangle(Box(xmin: 0.99, ymin: 0, xmax: 1, ymax: 0.02))
        let start = SIMD2(0.99, 0.06)
        #expect(!sliver.intersects(segmentFrom: start, to: start + SIMD2(0.05, -0.05)))
        var env = try particle(at: start, obstacles: [sliver])
        let result = try env.step(SIMD2(1, -1))
        #expect(result.info.blocked && result.state == start)
    }

    @Test func actionsAreNormalisedByTheirLargestComponent() throws {
        let env = try particle(at: .zero)
        func displacement(_ a: SIMD2<Double>) -> SIMD2<Double> { env.next(.zero, a) }
        #expect(displacement(SIMD2(3, 1.5)) == SIMD2(0.05, 0.025))
        #expect(displacement(SIMD2(-10, 0)) == SIMD2(-0.05, 0))
        // Inside the unit box nothing is rescaled (no normalisation up to length 1).
        #expect(displacement(SIMD2(0.4, -0.2)) == SIMD2(0.4, -0.2) / 20)
    }

    @Test func episodesAreTruncatedAfterOneHundredSteps() throws {
        var env = try particle(at: SIMD2(0.9, 0.9))
        for step in 1...100 {
            let result = try env.step(.zero)
            #expect(result.truncated == (step == 100))
            #expect(!result.terminated)
        }
        #expect(env.steps == 100)
        #expect(throws: EnvironmentError.episodeOver(steps: 100)) { try env.step(SIMD2<Double>.zero) }
    }

    @Test func successNeedsAnL1DistanceBelowOneHundredth() throws {
        // L2 distance 0.0085 but L1 distance 0.012: not yet a success.
        var near = try particle(at: SIMD2(0.056, 0.006), goal: .zero)
        let first = try near.step(SIMD2(-1, 0))
        #expect(!first.info.success && !first.done)
        #expect(abs(first.reward + 0.012) < 1e-12)
        var reaching = try particle(at: SIMD2(0.45, 0.5), goal: SIMD2(0.5, 0.5))
        let second = try reaching.step(SIMD2(1, 0))
        #expect(second.info.success && second.terminated && !second.truncated)
        #expect(reaching.successRule == SuccessRule(norm: .l1, tolerance: 0.01, endsEpisode: true))
    }

    @Test func analyticInverseDynamicsReproducesTheExecutedStep() throws {
        let env = try particle(at: .zero)
        var rng = RNG(seed: 3)
        var clippedSteps = 0
        for _ in 0..<2_000 {
            let s = SIMD2(rng.uniformDouble(-1, 1), rng.uniformDouble(-1, 1))
            let a = SIMD2(rng.uniformDouble(-3, 3), rng.uniformDouble(-3, 3))
            let next = env.next(s, a)
            if abs(next.x) == 1 || abs(next.y) == 1 { clippedSteps += 1 }
            let inferred = env.action(from: s, to: next)
            #expect(abs(inferred.x) <= 1 && abs(inferred.y) <= 1)
            let replayed = env.next(s, inferred)
            #expect(abs(replayed.x - next.x) < 1e-12 && abs(replayed.y - next.y) < 1e-12)
        }
        #expect(clippedSteps > 0)  // the border case was exercised too
    }

    @Test func resetDrawsStartsAndGoalsOutsideObstacles() throws {
        var env = Particle()
        let block = Obstacle.rectangle(Box(xmin: -0.5, ymin: -0.5, xmax: 0.5, ymax: 0.5))
        var starts = Set<[Double]>()
        for seed: UInt64 in 0..<200 {
            let start = try env.reset(seed: seed, obstacles: [block])
            #expect(!block.contains(start) && !block.contains(env.goal))
            #expect(Particle.workspace.contains(start) && Particle.workspace.contains(env.goal))
            starts.insert([start.x, start.y])
        }
        #expect(starts.count == 200)
        #expect(try env.reset(seed: 5) == env.reset(seed: 5))
    }

    @Test func geometryDescribesTheScene() throws {
        let disc = Obstacle.circle(center: SIMD2(0.5, 0.5), radius: 0.1)
        let env = try particle(at: SIMD2(0.1, 0.2), goal: SIMD2(-0.3, 0.4), obstacles: [disc])
        let g = env.geometry
        #expect(g.agent == SIMD2(0.1, 0.2) && g.goal == SIMD2(-0.3, 0.4))
        #expect(g.obstacles == [disc] && g.walls.isEmpty && g.links.isEmpty)
        #expect(g.bounds == Box(xmin: -1, ymin: -1, xmax: 1, ymax: 1))
    }
}
