import Foundation

/// A scalar that may change over the iterations of a sampler (step size, temperature).
public enum Schedule: Codable, Equatable, Sendable {
    /// The same value at every iteration.
    case constant(Float)
    /// Polynomial decay from `start` at the first iteration to `end` at the last:
    /// end + (start − end)·(1 − k/(K−1))^power.
    case polynomial(start: Float, end: Float, power: Float)

    /// Value at iteration `k` of `total`.
    public func value(at k: Int, of total: Int) -> Float {
        switch self {
        case let .constant(v):
            return v
        case let .polynomial(start, end, power):
            guard total > 1 else { return start }
            let remaining = 1 - Float(k) / Float(total - 1)
            return end + (start - end) * powf(max(remaining, 0), power)
        }
    }
}
