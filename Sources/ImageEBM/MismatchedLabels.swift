import EBMCore

extension ShapeDataset {
    /// A label under which the sprite of `factors` would look different: the image with this
    /// label is a known negative of a conditional energy, E(x | y′) should sit above E(x | y).
    ///
    /// The conditioned factor is redrawn from the grid. A shape label must name another shape;
    /// a continuous one (position, scale, rotation) must move the sprite so far that its
    /// binarised render overlaps the original's by less than `maximumOverlap` (IoU), because a
    /// neighbouring position level or a rotation by a symmetry of the shape is no negative at
    /// all. After `attempts` draws the least overlapping one is taken. A data set of one shape
    /// has no other shape label: its own comes back, and the pair cancels in the loss.
    public func mismatchedLabel(for factors: ShapeFactors, condition: ImageCondition,
                                maximumOverlap: Float = 0.5, attempts: Int = 16, rng: inout RNG) -> [Float] {
        switch condition {
        case .none:
            return []
        case .shape:
            let others = shapes.filter { $0 != factors.shape && $0.labelIndex != nil }
            guard !others.isEmpty else { return condition.encode(factors) }
            var other = factors
            other.shape = others[rng.index(below: others.count)]
            return condition.encode(other)
        case .position, .scale, .rotation:
            let original = renderer.render(factors)
            var best = factors, bestOverlap = Float.infinity
            for _ in 0..<attempts {
                let draw = randomFactors(shape: factors.shape, rng: &rng)
                var other = factors
                switch condition {
                case .position: (other.x, other.y) = (draw.x, draw.y)
                case .scale: other.scale = draw.scale
                default: other.rotation = draw.rotation
                }
                let overlap = Self.binaryOverlap(original, renderer.render(other))
                if overlap < bestOverlap { (best, bestOverlap) = (other, overlap) }
                if overlap < maximumOverlap { break }
            }
            return condition.encode(best)
        }
    }

    /// Intersection over union of two images binarised at one half (1 when both are empty).
    static func binaryOverlap(_ a: [Float], _ b: [Float]) -> Float {
        var both = 0, either = 0
        for (u, v) in zip(a, b) {
            let (p, q) = (u >= 0.5, v >= 0.5)
            if p && q { both += 1 }
            if p || q { either += 1 }
        }
        return either == 0 ? 1 : Float(both) / Float(either)
    }
}
