/// A dense, row-major, contiguous Float32 array with a shape.
///
/// The first axis is the batch axis wherever a batch makes sense: row `i` of a tensor of
/// shape `[B, …]` is the sample `i`, and `rowWidth` is the number of scalars per sample.
/// `Tensor` is a value type; storage is copy-on-write like any Swift array.
public struct Tensor: Equatable, Sendable {
    /// Extent along each axis.
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public var scalars: [Float]

    /// A tensor with the given shape and elements; `scalars.count` must equal the shape's product.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of the given shape filled with zeros.
    public init(zeros shape: [Int]) { self.init(shape: shape, repeating: 0) }

    /// Number of elements.
    public var count: Int { scalars.count }
    /// Extent of the first (batch) axis.
    public var rows: Int { shape.first ?? 1 }
    /// Number of scalars per row (per sample).
    public var rowWidth: Int { rows == 0 ? 0 : count / rows }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

    /// Copy of row `i` as an array.
    public func row(_ i: Int) -> [Float] {
        let w = rowWidth
        return Array(scalars[(i * w)..<((i + 1) * w)])
    }

    /// Overwrites row `i` with `values` (`values.count == rowWidth`).
    public mutating func setRow(_ i: Int, to values: some Collection<Float>) {
        let w = rowWidth
        precondition(values.count == w, "row has \(w) scalars, got \(values.count)")
        scalars.replaceSubrange((i * w)..<((i + 1) * w), with: values)
    }

    /// The rows at `indices`, in that order, as a new batch.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        let w = rowWidth
        var out = [Float]()
        out.reserveCapacity(indices.count * w)
        for i in indices { out.append(contentsOf: scalars[(i * w)..<((i + 1) * w)]) }
        var s = shape
        s[0] = indices.count
        return Tensor(shape: s, scalars: out)
    }

    /// Stacks batches along the first axis; all parts must agree on the per-row shape.
    public static func concatenatingRows(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty)
        let tail = Array(parts[0].shape.dropFirst())
        var out = [Float]()
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        var rows = 0
        for p in parts {
            precondition(Array(p.shape.dropFirst()) == tail, "row shapes differ: \(p.shape) vs \(parts[0].shape)")
            out.append(contentsOf: p.scalars)
            rows += p.rows
        }
        return Tensor(shape: [rows] + tail, scalars: out)
    }

    /// Rows `range` of the batch as a new tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        let w = rowWidth
        var s = shape
        s[0] = range.count
        return Tensor(shape: s, scalars: Array(scalars[(range.lowerBound * w)..<(range.upperBound * w)]))
    }

    /// True when every element is finite.
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}
