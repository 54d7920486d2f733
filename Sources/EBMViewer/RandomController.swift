import EBMCore

/// The placeholder controller until planners land: uniformly random actions in [−1, 1]² from
/// a seeded generator. It plans nothing, so it reports no futures and no plan.
public struct RandomController: ViewerController {
    private var rng: RNG

    public init(seed: UInt64) {
        rng = RNG(seed: seed, stream: 2)
    }

    public var name: String { ViewerOptions.randomActions }

    /// Random actions have no memory to forget; the generator keeps running so a reset does
    /// not replay the same actions.
    public mutating func reset() {}

    public mutating func decide(in environment: ViewedEnvironment, chains: Int) -> ControllerDecision {
        ControllerDecision(action: SIMD2(rng.uniformDouble(-1, 1), rng.uniformDouble(-1, 1)))
    }
}
