import EBMCore

/// Chain initialisations for image samplers.
public enum ImageNoise {
    /// `count` images of independent U(0, 1) pixels, `[count, 1, size, size]` (IGEBM's chain start).
    public static func uniform(count: Int, size: Int, rng: inout RNG) -> Tensor {
        Tensor(shape: [count, 1, size, size], scalars: (0..<(count * size * size)).map { _ in rng.uniform() })
    }
}
