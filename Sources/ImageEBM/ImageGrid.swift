import EBMCore
import EBMRender

/// Lays out grayscale images as a PNG contact sheet: one grid row per tensor given (originals,
/// corrupted, restored, …), each image enlarged by whole pixels so small canvases stay
/// legible, on a mid-blue background that no grayscale pixel can be confused with.
public enum ImageGrid {
    /// A PNG of `rows` (each `[B, 1, H, W]` or `[B, H·W]` with square images), at most
    /// `columns` images per grid row; a long batch wraps onto further grid rows.
    public static func image(rows: [Tensor], size: Int, columns: Int = 16, zoom: Int = 4, gap: Int = 2) -> PNGImage {
        let area = size * size
        var lines: [[ArraySlice<Float>]] = []
        for batch in rows {
            precondition(batch.rowWidth == area || batch.rows == 0, "grid rows must hold \(size)×\(size) images")
            let images = (0..<batch.rows).map { batch.scalars[($0 * area)..<(($0 + 1) * area)] }
            stride(from: 0, to: images.count, by: max(columns, 1)).forEach {
                lines.append(Array(images[$0..<min($0 + columns, images.count)]))
            }
        }
        let tile = size * zoom + gap
        let width = max(1, (lines.map(\.count).max() ?? 0) * tile + gap)
        let height = max(1, lines.count * tile + gap)
        var png = PNGImage(width: width, height: height, fill: RGBA(40, 60, 110))
        for (r, line) in lines.enumerated() {
            for (c, pixels) in line.enumerated() {
                let (left, top) = (gap + c * tile, gap + r * tile)
                for (k, v) in pixels.enumerated() {
                    let level = UInt8((min(max(v, 0), 1) * 255).rounded())
                    let (i, j) = (k / size, k % size)
                    for dy in 0..<zoom {
                        for dx in 0..<zoom { png[left + j * zoom + dx, top + i * zoom + dy] = RGBA(level, level, level) }
                    }
                }
            }
        }
        return png
    }
}
