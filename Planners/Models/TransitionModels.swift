import EBMCore
import EBMEnvironments

/// The architecture and state scaling of an environment's learned models (SPEC §5): the
/// transition energy E(s_t, s_t+1), the inverse dynamics a_t = g(s_t, s_t+1) where the
/// environment has no analytic inverse, and the feed-forward dynamics baseline.
///
/// `standard(for:)` is what `ebm-plan train` builds and what the embedded models were trained
/// with; a test loads each embedded file against it, so changing a default here without
/// retraining the embedded models fails that test.
public struct TransitionModelConfiguration: Equatable, Sendable {
    public var environment: EnvironmentKind
    /// How (s_t, s_t+1) is presented to the energy and the inverse dynamics.
    public var features: TransitionFeatureSpec
    /// The largest change one control step's action can make to each state coordinate: the
    /// unit of the held-out ranking test's displacements.
    public var actionReach: [Float]
    /// The energy: rows [s_t, s_t+1] → one scalar.
    public var energy: NetworkConfig
    /// Rows [s_t, s_t+1] → the action; nil where the environment's inverse is analytic.
    public var inverseDynamics: NetworkConfig?
    /// Rows [s_t, a_t] → s_t+1 − s_t in state units (`LearnedDynamics(predictsStep: true)`).
    public var forwardDynamics: NetworkConfig

    public var stateDimension: Int { features.stateDimension }
    public var actionDimension: Int { forwardDynamics.inputShape.reduce(1, *) - stateDimension }

    /// The defaults for `kind`: energy = transition features + 3 × 128 LeakyReLU(0.2) + linear
    /// scalar head, its hidden layers spectrally normalised by default for the reacher (nil:
    /// that default); inverse dynamics (reacher only) = the same features + 2 × 64 → actions;
    /// forward dynamics = 2 × 128 on raw [s_t, a_t] → the step.
    ///
    /// Why spectral norm for the reacher: without it the CD loss's ±1/(2α) optimum makes the
    /// energy a step function, flat beyond the data, and Langevin plans drift into
    /// infeasible transitions (measured: 0–2 % success); a Lipschitz energy keeps rising with
    /// the distance from feasible transitions, so its gradient still points back from afar.
    public static func standard(for kind: EnvironmentKind, spectralNorm: Bool? = nil) -> TransitionModelConfiguration {
        let spectralNorm = spectralNorm ?? (kind == .reacher)
        let features: TransitionFeatureSpec
        let reach: [Float]
        let actions: Int
        switch kind {
        case .particle, .maze:
            // One step moves at most 0.05 per coordinate, so ×20 maps the reach to [−1, 1].
            features = TransitionFeatureSpec(stateDimension: 2, deltaScale: [20, 20])
            reach = [0.05, 0.05]
            actions = 2
        case .reacher:
            // Rounded from 1000 random-action episodes (`collect --env reacher --episodes 1000
            // --seed 0`): joint speeds have std 8.7 and 6.3 rad/s, per-step changes of the angles
            // std 0.17 and 0.12 rad, of the speeds 2.3 and 2.7 rad/s. One value per group keeps
            // the negative sampler equally conditioned in both angles. An action moves the
            // angles by up to 0.04 rad and the speeds by up to 4 rad/s in one step
            // (least-squares coefficients 0.039 and 3.9 of u).
            features = TransitionFeatureSpec(stateDimension: 4, angles: [0, 1],
                                             scale: [1, 1, 0.13, 0.13], deltaScale: [7, 7, 0.4, 0.4])
            reach = [0.04, 0.04, 4, 4]
            actions = 2
        }
        let d = features.stateDimension
        let energy = NetworkConfig(
            inputShape: [2 * d],
            layers: [.transitionFeatures(features)]
                + .mlpEnergy(hidden: [128, 128, 128], activation: .leakyReLU, spectralNorm: spectralNorm))
        let inverse = kind == .reacher
            ? NetworkConfig(inputShape: [2 * d],
                            layers: [.transitionFeatures(features)] + .mlp(hidden: [64, 64], outputs: actions))
            : nil
        let forward = NetworkConfig(inputShape: [d + actions], layers: .mlp(hidden: [128, 128], outputs: d))
        return TransitionModelConfiguration(environment: kind, features: features, actionReach: reach,
                                            energy: energy, inverseDynamics: inverse, forwardDynamics: forward)
    }
}
