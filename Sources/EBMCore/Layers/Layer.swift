/// A named array of numbers a layer owns: a trainable weight or a persistent buffer
/// (such as spectral normalisation's `u`). Reference type so that optimisers, checkpoints and
/// the owning layer all see one value.
public final class Parameter {
    /// Name within its layer ("weight", "bias", "u", …); the network prefixes the layer index.
    public let name: String
    /// Current value.
    public var value: Tensor { didSet { version &+= 1 } }
    /// Bumped by every change of `value` (element writes included), so layers can tell when a
    /// weight-derived cache such as a transposed copy is stale.
    private(set) var version: UInt64 = 0
    /// Accumulated gradient of the loss (same shape as `value`); unused for buffers.
    public var gradient: Tensor
    /// Whether optimisers update it. Buffers are saved and restored but never trained.
    public let isTrainable: Bool

    public init(name: String, value: Tensor, isTrainable: Bool = true) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
        self.isTrainable = isTrainable
    }

    /// Sets the gradient to zero.
    public func zeroGradient() {
        gradient.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

/// Which gradients a backward pass must produce.
public struct GradientRequest: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// ∂L/∂input: Langevin sampling and planning need it, the first layer in training does not.
    public static let inputs = GradientRequest(rawValue: 1)
    /// ∂L/∂parameters, accumulated into `Parameter.gradient`: training needs it, sampling does not.
    public static let parameters = GradientRequest(rawValue: 2)
    public static let all: GradientRequest = [.inputs, .parameters]
}

/// One differentiable stage of a network, with a hand-written backward pass.
///
/// `forward` keeps what `backward` needs, so a layer serves one forward/backward pair at a
/// time (a network is not shared between threads; copy it per worker).
public protocol Layer: AnyObject {
    /// Output shape of one sample for an input sample of shape `inputShape`.
    func outputShape(for inputShape: [Int]) -> [Int]
    /// Maps a batch `[B, inputShape…]` to `[B, outputShape…]`. `labels` is the batch's
    /// conditioning (`[B, L]`), used by conditional layers and ignored by the rest.
    func forward(_ input: Tensor, labels: Tensor?) -> Tensor
    /// Given ∂L/∂output of the last `forward`, accumulates what `request` asks for and returns
    /// ∂L/∂input (an empty tensor when `.inputs` is not requested).
    func backward(_ outputGradient: Tensor, _ request: GradientRequest) -> Tensor
    /// Weights and buffers, in a fixed order.
    var parameters: [Parameter] { get }
    /// Called once per training step before any forward pass of that step (spectral
    /// normalisation runs its power iteration here; evaluation never calls it, so it is frozen).
    func beginTrainingStep()
    /// Called after parameter values changed outside the layer (optimiser update, checkpoint
    /// load), so cached derived weights can be recomputed.
    func parametersDidChange()
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public func beginTrainingStep() {}
    public func parametersDidChange() {}
}
