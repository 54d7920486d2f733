import EBMEnvironments
import EBMRender

/// Scenes shared by the rendering tests.
enum SceneFixtures {
    /// A particle at (−0.6, −0.6) with the goal at (0.6, 0.6), a central obstacle and three
    /// futures around it: cheap (above), middle (below), expensive (straight through).
    static func particleWithFutures() -> Scene {
        var env = Particle()
        // Cannot fail: start and goal are free and the obstacle is valid.
        _ = try? env.reset(seed: 1, start: SIMD2(-0.6, -0.6), goal: SIMD2(0.6, 0.6),
                           obstacles: [.rectangle(Box(xmin: -0.2, ymin: -0.2, xmax: 0.2, ymax: 0.2))])
        let above = [SIMD2(-0.6, -0.6), SIMD2(-0.6, 0.6), SIMD2(0.6, 0.6)]
        let below = [SIMD2(-0.6, -0.6), SIMD2(0.6, -0.6), SIMD2(0.6, 0.6)]
        let through = [SIMD2(-0.6, -0.6), SIMD2(0.6, 0.6)]
        let traces = SceneTraces(futures: [below, through, above], futureCosts: [5, 9, 1], plan: above,
                                 executed: [SIMD2(-0.7, -0.6), SIMD2(-0.6, -0.6)])
        return Scene(geometry: env.geometry, traces: traces)
    }
}
