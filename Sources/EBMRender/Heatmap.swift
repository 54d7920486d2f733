import EBMEnvironments

/// A scalar field sampled on a grid over a world rectangle, e.g. E(s, ·) around the current
/// state or a plan cost, for drawing under a scene.
///
/// Values are row-major with row 0 at the top of `region` (largest y), matching pixel order.
/// Renderers colour them by min–max normalisation; non-finite cells are left undrawn.
public struct Heatmap: Sendable, Equatable {
    /// The world rectangle the grid covers.
    public var region: Box
    /// Grid size (rows along y, columns along x).
    public var rows: Int
    public var columns: Int
    /// `rows * columns` values.
    public var values: [Double]

    /// `values.count` must be `rows * columns` with both at least 1.
    public init(region: Box, rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 1 && columns >= 1 && values.count == rows * columns,
                     "a heatmap needs rows × columns values")
        self.region = region
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The world rectangle of the cell in `row` (from the top) and `column` (from the left).
    public func cell(row: Int, column: Int) -> Box {
        let size = (region.upper - region.lower) / SIMD2(Double(columns), Double(rows))
        let xmin = region.lower.x + Double(column) * size.x
        let ymax = region.upper.y - Double(row) * size.y
        return Box(xmin: xmin, ymin: ymax - size.y, xmax: xmin + size.x, ymax: ymax)
    }
}
