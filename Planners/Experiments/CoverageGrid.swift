import EBMEnvironments

/// A fixed grid of `cells` × `cells` squares over a region of goal space, counting the visits
/// of each: the state-space coverage measure of the exploration experiment.
///
/// The grid is fixed in advance and has no gaps (unlike the seed code's cubes), so "occupied
/// cells" means the same for every method and budget.
public struct CoverageGrid: Sendable {
    public let bounds: Box
    public let cells: Int
    /// Visits per cell, row-major from the lower-left corner.
    public private(set) var visits: [Int]

    public init(bounds: Box, cells: Int) {
        self.bounds = bounds
        self.cells = cells
        visits = [Int](repeating: 0, count: cells * cells)
    }

    /// The cell holding `p` (points on or beyond the border fall in the outermost cells).
    public func cell(of p: SIMD2<Double>) -> Int {
        let t = (p - bounds.lower) / (bounds.upper - bounds.lower) * Double(cells)
        let column = min(max(Int(t.x.rounded(.down)), 0), cells - 1)
        let row = min(max(Int(t.y.rounded(.down)), 0), cells - 1)
        return row * cells + column
    }

    /// The centre of `cell`.
    public func centre(of cell: Int) -> SIMD2<Double> {
        let size = (bounds.upper - bounds.lower) / Double(cells)
        return bounds.lower + size * SIMD2(Double(cell % cells) + 0.5, Double(cell / cells) + 0.5)
    }

    public mutating func visit(_ p: SIMD2<Double>) { visits[cell(of: p)] += 1 }

    /// Cells visited at least once.
    public var occupied: Int { visits.filter { $0 > 0 }.count }
}
