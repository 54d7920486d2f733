import Foundation

/// The 2-D toy distribution of the EBM literature: eight isotropic Gaussians evenly spaced on
/// a circle. Small enough to train in seconds, multimodal enough that a sampler which misses
/// modes is caught by counting them.
public struct GaussianRing: Sendable {
    public var radius: Float
    public var standardDeviation: Float
    public var modeCount: Int

    public init(radius: Float = 1, standardDeviation: Float = 0.08, modeCount: Int = 8) {
        self.radius = radius
        self.standardDeviation = standardDeviation
        self.modeCount = modeCount
    }

    /// Centre of mode `k`.
    public func mode(_ k: Int) -> (x: Float, y: Float) {
        let angle = 2 * Float.pi * Float(k) / Float(modeCount)
        return (radius * cos(angle), radius * sin(angle))
    }

    /// `count` samples as a `[count, 2]` batch.
    public func sample(_ count: Int, rng: inout RNG) -> Tensor {
        var out = [Float]()
        out.reserveCapacity(2 * count)
        for _ in 0..<count {
            let m = mode(rng.index(below: modeCount))
            out.append(m.x + standardDeviation * rng.gaussian())
            out.append(m.y + standardDeviation * rng.gaussian())
        }
        return Tensor(shape: [count, 2], scalars: out)
    }

    /// Index of the mode within `distance` of (x, y), or nil.
    public func modeIndex(x: Float, y: Float, within distance: Float) -> Int? {
        for k in 0..<modeCount {
            let m = mode(k)
            if (x - m.x) * (x - m.x) + (y - m.y) * (y - m.y) <= distance * distance { return k }
        }
        return nil
    }

    /// Samples of each mode among the rows of `x` (within three standard deviations), and
    /// how many rows fall near no mode.
    public func modeHistogram(_ x: Tensor) -> (perMode: [Int], outside: Int) {
        var counts = [Int](repeating: 0, count: modeCount)
        var outside = 0
        for r in 0..<x.rows {
            if let k = modeIndex(x: x.scalars[2 * r], y: x.scalars[2 * r + 1], within: 3 * standardDeviation) {
                counts[k] += 1
            } else {
                outside += 1
            }
        }
        return (counts, outside)
    }
}
