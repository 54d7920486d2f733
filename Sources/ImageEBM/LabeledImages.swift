import EBMCore

/// Images with integer class labels, as the MNIST and CIFAR-10 loaders return them: pixels
/// scaled to [0, 1] as NCHW `[N, C, H, W]`.
public struct LabeledImages: Equatable, Sendable {
    public var images: Tensor
    public var labels: [Int]
    /// Number of classes the labels index (10 for both data sets).
    public var classCount: Int

    public init(images: Tensor, labels: [Int], classCount: Int) {
        precondition(images.rows == labels.count, "one label per image")
        self.images = images
        self.labels = labels
        self.classCount = classCount
    }

    /// Number of images.
    public var count: Int { labels.count }

    /// One-hot labels of the given rows, `[rows.count, classCount]`, the conditioning of a
    /// class-conditional energy.
    public func oneHotLabels(_ rows: [Int]) -> Tensor {
        var scalars = [Float](repeating: 0, count: rows.count * classCount)
        for (i, r) in rows.enumerated() { scalars[i * classCount + labels[r]] = 1 }
        return Tensor(shape: [rows.count, classCount], scalars: scalars)
    }
}
