import Foundation

/// Adam with the seed systems' defaults: β1 = 0, β2 = 0.999, ε = 1e-8, and optionally
/// IGEBM's per-element clip |g| ≤ 3·√v̂ + 0.1, where v̂ is the bias-corrected second moment
/// *before* this step (gradients more than three standard deviations out are trimmed).
public struct Adam {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Whether to apply the 3·√v̂ + 0.1 element clip.
    public var clipsGradients: Bool
    /// Number of updates taken so far.
    public private(set) var step: Int = 0
    private var m: [[Float]] = []
    private var v: [[Float]] = []

    public init(learningRate: Float = 1e-3, beta1: Float = 0, beta2: Float = 0.999,
                epsilon: Float = 1e-8, clipsGradients: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.clipsGradients = clipsGradients
    }

    /// Applies one update to every trainable parameter from its accumulated gradient.
    public mutating func update(_ parameters: [Parameter]) {
        let trainable = parameters.filter(\.isTrainable)
        if m.isEmpty {
            m = trainable.map { [Float](repeating: 0, count: $0.value.count) }
            v = m
        }
        precondition(m.count == trainable.count, "Adam was used with a different parameter list")
        let previousCorrection = step == 0 ? 1 : 1 - powf(beta2, Float(step))
        step += 1
        let c1 = 1 - powf(beta1, Float(step))
        let c2 = 1 - powf(beta2, Float(step))
        let stepSize = learningRate * c2.squareRoot() / c1
        let epsHat = epsilon * c2.squareRoot()
        for (k, p) in trainable.enumerated() {
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    m[k].withUnsafeMutableBufferPointer { mk in
                        v[k].withUnsafeMutableBufferPointer { vk in
                            for i in w.indices {
                                var gi = g[i]
                                if clipsGradients && step > 1 {
                                    let bound = 3 * (vk[i] / previousCorrection).squareRoot() + 0.1
                                    gi = min(max(gi, -bound), bound)
                                }
                                mk[i] = beta1 * mk[i] + (1 - beta1) * gi
                                vk[i] = beta2 * vk[i] + (1 - beta2) * gi * gi
                                w[i] -= stepSize * mk[i] / (vk[i].squareRoot() + epsHat)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The optimiser's moments as named tensors, for checkpoints (names follow `names`).
    public func state(names: [String], shapes: [[Int]]) -> [String: Tensor] {
        var out: [String: Tensor] = ["adam.step": Tensor(shape: [1], scalars: [Float(step)])]
        guard !m.isEmpty else { return out }
        for (k, name) in names.enumerated() {
            out["adam.m.\(name)"] = Tensor(shape: shapes[k], scalars: m[k])
            out["adam.v.\(name)"] = Tensor(shape: shapes[k], scalars: v[k])
        }
        return out
    }

    /// Restores moments saved by `state(names:shapes:)`; missing moments mean a fresh optimiser.
    public mutating func restore(_ state: [String: Tensor], names: [String]) {
        step = Int(state["adam.step"]?.scalars.first ?? 0)
        guard names.allSatisfy({ state["adam.m.\($0)"] != nil && state["adam.v.\($0)"] != nil }), !names.isEmpty else {
            m = []; v = []
            return
        }
        m = names.map { state["adam.m.\($0)"]!.scalars }
        v = names.map { state["adam.v.\($0)"]!.scalars }
    }
}
