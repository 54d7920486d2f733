/// A bounded store of past samples (rows), so sampling chains can continue where they
/// stopped instead of restarting from noise (persistent contrastive divergence).
///
/// `fifo` overwrites the oldest row (IGEBM's buffer); `reservoir` keeps a uniform sample of
/// everything ever added. Rows may carry a label row (conditional image models).
public struct ReplayBuffer: Sendable {
    public enum Policy: String, Codable, Sendable { case fifo, reservoir }

    public let capacity: Int
    public let rowWidth: Int
    public let labelWidth: Int
    public let policy: Policy
    /// Rows currently held.
    public private(set) var count = 0
    /// Rows ever offered to the buffer.
    public private(set) var seen = 0
    private var rows: [Float]
    private var labels: [Float]
    private var nextSlot = 0

    public init(capacity: Int, rowWidth: Int, labelWidth: Int = 0, policy: Policy = .fifo) {
        precondition(capacity > 0 && rowWidth > 0 && labelWidth >= 0)
        self.capacity = capacity
        self.rowWidth = rowWidth
        self.labelWidth = labelWidth
        self.policy = policy
        rows = [Float](repeating: 0, count: capacity * rowWidth)
        labels = [Float](repeating: 0, count: capacity * labelWidth)
    }

    /// A FIFO buffer continuing a saved one: `saved` is `contents` of a buffer after `seen`
    /// additions, so rows, labels, counts and the next write position are the saved buffer's.
    /// Returns nil when `saved` does not fit: more rows than `capacity` (or than `seen`), rows
    /// of another width than `rowWidth`, or labels that are missing, unexpected, of another
    /// width or of another count.
    public init?(capacity: Int, rowWidth: Int, labelWidth: Int = 0,
                 restoringFIFO saved: (rows: Tensor, labels: Tensor?), seen: Int) {
        let count = saved.rows.rows
        let labelsFit = saved.labels.map { labelWidth > 0 && $0.rows == count && $0.rowWidth == labelWidth } ?? (labelWidth == 0)
        guard capacity > 0, rowWidth > 0, labelWidth >= 0, seen >= count, count == min(seen, capacity),
              saved.rows.rowWidth == rowWidth, labelsFit else { return nil }
        self.init(capacity: capacity, rowWidth: rowWidth, labelWidth: labelWidth, policy: .fifo)
        rows.replaceSubrange(0..<saved.rows.scalars.count, with: saved.rows.scalars)
        if let savedLabels = saved.labels { labels.replaceSubrange(0..<savedLabels.scalars.count, with: savedLabels.scalars) }
        self.count = count
        self.seen = seen
        nextSlot = seen % capacity
    }

    /// The rows held, in slot order, and their labels when the buffer stores labels (what
    /// `init(capacity:rowWidth:labelWidth:restoringFIFO:seen:)` continues).
    public var contents: (rows: Tensor, labels: Tensor?) {
        (Tensor(shape: [count, rowWidth], scalars: Array(rows[0..<count * rowWidth])),
         labelWidth == 0 ? nil : Tensor(shape: [count, labelWidth], scalars: Array(labels[0..<count * labelWidth])))
    }

    /// Adds every row of `x` (and its label row when the buffer stores labels).
    public mutating func add(_ x: Tensor, labels newLabels: Tensor? = nil, rng: inout RNG) {
        precondition(x.rowWidth == rowWidth || x.rows == 0, "buffer rows are \(rowWidth) wide, got \(x.rowWidth)")
        if labelWidth > 0 { precondition(newLabels?.rows == x.rows && newLabels?.rowWidth == labelWidth) }
        for r in 0..<x.rows {
            seen += 1
            let slot: Int
            switch policy {
            case .fifo:
                slot = nextSlot
                nextSlot = (nextSlot + 1) % capacity
            case .reservoir:
                if count < capacity {
                    slot = count
                } else {
                    let j = rng.index(below: seen)
                    guard j < capacity else { continue }
                    slot = j
                }
            }
            count = min(count + 1, capacity)
            rows.replaceSubrange(slot * rowWidth..<(slot + 1) * rowWidth,
                                 with: x.scalars[r * rowWidth..<(r + 1) * rowWidth])
            if labelWidth > 0, let newLabels {
                labels.replaceSubrange(slot * labelWidth..<(slot + 1) * labelWidth,
                                       with: newLabels.scalars[r * labelWidth..<(r + 1) * labelWidth])
            }
        }
    }

    /// Row `i` of the buffer.
    public func row(_ i: Int) -> ArraySlice<Float> { rows[i * rowWidth..<(i + 1) * rowWidth] }

    /// `k` rows drawn uniformly with replacement (replayed data next to fresh data); empty
    /// when the buffer is.
    public func sample(_ k: Int, rng: inout RNG) -> Tensor {
        guard count > 0 else { return Tensor(zeros: [0, rowWidth]) }
        var out = [Float]()
        out.reserveCapacity(k * rowWidth)
        for _ in 0..<k { out.append(contentsOf: row(rng.index(below: count))) }
        return Tensor(shape: [k, rowWidth], scalars: out)
    }

    /// Chain starts for a batch: each row of `fresh` is replaced, with probability `fraction`,
    /// by a uniformly drawn buffered row (and its stored label, when labels are stored).
    /// Returns the mixed batch, its labels and how many rows came from the buffer.
    public func mix(fresh: Tensor, labels freshLabels: Tensor? = nil, fraction: Float = 0.95,
                    rng: inout RNG) -> (x: Tensor, labels: Tensor?, replayed: Int) {
        precondition(fresh.rowWidth == rowWidth || fresh.rows == 0)
        var x = fresh
        var outLabels = freshLabels
        var replayed = 0
        guard count > 0 else { return (x, outLabels, 0) }
        for r in 0..<fresh.rows where rng.uniform() < fraction {
            let j = rng.index(below: count)
            x.scalars.replaceSubrange(r * rowWidth..<(r + 1) * rowWidth, with: row(j))
            if labelWidth > 0, outLabels != nil {
                outLabels!.scalars.replaceSubrange(r * labelWidth..<(r + 1) * labelWidth,
                                                   with: labels[j * labelWidth..<(j + 1) * labelWidth])
            }
            replayed += 1
        }
        return (x, outLabels, replayed)
    }
}
