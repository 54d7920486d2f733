import EBMCore

extension ImageEnergyModel {
    /// Runs `rounds` × `sampler` under `labels` from each batch in `starts` (one batch per
    /// chain, every batch with the same images in the same order), moving only the coordinates
    /// `mask` marks (one flag per pixel shared by all images, or one per element of a batch;
    /// nil moves all), and returns the chains' average.
    ///
    /// One chain gives a sample of the conditional; the mean of several estimates the
    /// conditional mean, the fill that minimises the expected squared error, which is what
    /// inpainting and restoration are scored on.
    public func refine(_ starts: [Tensor], labels: Tensor?, mask: [Bool]?, sampler: LangevinSampler,
                       rounds: Int, rng: inout RNG) -> Tensor {
        precondition(!starts.isEmpty && starts.allSatisfy { $0.shape == starts[0].shape }, "one equal-shaped batch per chain")
        let batch = starts[0]
        let chains = starts.count
        var x = Tensor(shape: [batch.rows * chains] + batch.shape.dropFirst(), scalars: Array(starts.map(\.scalars).joined()))
        let tiledMask = mask.map { $0.count == batch.count ? Array(Array(repeating: $0, count: chains).joined()) : $0 }
        let replicated = labels?.gatherRows(Array((0..<chains).map { _ in 0..<batch.rows }.joined()))
        let energy = energy(labels: replicated)
        for _ in 0..<rounds { sampler.run(&x, energy: energy, mask: tiledMask, rng: &rng) }
        guard chains > 1 else { return x }
        var mean = Tensor(zeros: batch.shape)
        let n = batch.count
        for c in 0..<chains {
            for i in 0..<n { mean.scalars[i] += x.scalars[c * n + i] }
        }
        for i in 0..<n { mean.scalars[i] /= Float(chains) }
        return mean
    }
}
