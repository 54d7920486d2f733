import EBMCore

/// Sample quality measured during training: fresh chains from noise (`ConditionalSampling`),
/// scored against the renderer's ground truth. The CD loss and the energies say nothing about
/// whether samples are still sprites — a shape model's samples can collapse while its
/// classification keeps improving — so the training curve carries this instead, and the best
/// step can be kept.
public struct SampleProbe {
    /// Training steps between probes.
    public var interval: Int
    public var sampling: ConditionalSampling

    public init(interval: Int, sampling: ConditionalSampling) {
        precondition(interval > 0, "a probe needs a positive interval")
        self.interval = interval
        self.sampling = sampling
    }

    /// The quality metrics of `ConditionalSampling` on `model` (without the run's settings:
    /// sample count, guidance), drawn from a stream of their own for `seed` and the model's
    /// step, so probing never changes what training does.
    public func measure(_ model: ImageEnergyModel, seed: UInt64) -> [String: Double] {
        var rng = RNG(seed: seed, stream: 0x70726F6265 &+ UInt64(model.step))
        return sampling.run(model, rng: &rng).metrics.filter { !["samples", "guidance", "unguided_rounds"].contains($0.key) }
    }

    /// The figure ranking probes of a model conditioned on `condition`, higher is better: the
    /// conditioned factor's metric (the fraction recognised as the right shape, or minus the
    /// position, scale or rotation error), and for an unconditional model the fraction of
    /// recognisable sprites. For shape it is not the accuracy alone, which a collapsed model's
    /// blobs win a third of by matching some template.
    public static func score(_ metrics: [String: Double], condition: ImageCondition) -> Double {
        let value: Double? = switch condition {
        case .none: metrics["recognisable"]
        case .shape: metrics["shape_recognised"]
        case .position: metrics["position_error_px"].map { -$0 }
        case .scale: metrics["scale_error"].map { -$0 }
        case .rotation: metrics["rotation_error_deg"].map { -$0 }
        }
        return value ?? -.infinity
    }
}
