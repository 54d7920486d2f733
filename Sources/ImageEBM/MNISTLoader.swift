import EBMCore
import Foundation

/// Reads user-supplied MNIST files in the IDX format (`train-images-idx3-ubyte`,
/// `train-labels-idx1-ubyte`, uncompressed): a big-endian header — two zero bytes, the element
/// type (0x08, unsigned byte), the number of dimensions — then one 4-byte big-endian extent per
/// dimension and the raw bytes. Anything else (a gzip file, a truncated or padded file, a
/// label outside 0...9, counts that disagree) is a one-line `FileFormatError`.
public enum MNISTLoader {
    /// The images (`[N, 1, H, W]`, pixels / 255) and labels of an IDX image file and an IDX
    /// label file.
    public static func load(images imagesURL: URL, labels labelsURL: URL) throws -> LabeledImages {
        let (imageShape, pixels) = try readIDX(imagesURL)
        let (labelShape, labelBytes) = try readIDX(labelsURL)
        func fail(_ url: URL, _ problem: String) -> FileFormatError {
            FileFormatError(format: "idx", file: url.lastPathComponent, problem: problem)
        }
        guard imageShape.count == 3 else { throw fail(imagesURL, "holds \(imageShape.count)-D data, images need 3 (count, rows, columns)") }
        guard labelShape.count == 1 else { throw fail(labelsURL, "holds \(labelShape.count)-D data, labels need 1") }
        guard imageShape[0] == labelShape[0] else {
            throw fail(labelsURL, "has \(labelShape[0]) labels for \(imageShape[0]) images in \(imagesURL.lastPathComponent)")
        }
        if let bad = labelBytes.firstIndex(where: { $0 > 9 }) {
            throw fail(labelsURL, "label \(labelBytes[bad]) at index \(bad) is not a digit 0...9")
        }
        let images = Tensor(shape: [imageShape[0], 1, imageShape[1], imageShape[2]], scalars: pixels.map { Float($0) / 255 })
        return LabeledImages(images: images, labels: labelBytes.map(Int.init), classCount: 10)
    }

    /// The extents and bytes of an unsigned-byte IDX file.
    public static func readIDX(_ url: URL) throws -> (shape: [Int], bytes: [UInt8]) {
        let bytes = try FileIO.readAll(url, format: "idx")
        func fail(_ problem: String) -> FileFormatError { FileFormatError(format: "idx", file: url.lastPathComponent, problem: problem) }
        guard bytes.count >= 4 else { throw fail("is \(bytes.count) bytes, shorter than an IDX header") }
        if bytes[0] == 0x1F && bytes[1] == 0x8B { throw fail("is gzip-compressed; decompress it first (gunzip)") }
        guard bytes[0] == 0 && bytes[1] == 0 else { throw fail("is not an IDX file (its first two bytes are not zero)") }
        guard bytes[2] == 0x08 else { throw fail(String(format: "has element type 0x%02X, only unsigned bytes (0x08) are supported", bytes[2])) }
        let dimensions = Int(bytes[3])
        guard dimensions >= 1 else { throw fail("declares no dimensions") }
        let headerLength = 4 + 4 * dimensions
        guard bytes.count >= headerLength else { throw fail("is truncated inside its header") }
        var shape: [Int] = []
        var total = 1
        for d in 0..<dimensions {
            let o = 4 + 4 * d
            let extent = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            guard extent >= 1 else { throw fail("has an empty dimension \(d)") }
            // Extents are below 2³¹, so the product can only overflow after passing the file size.
            total *= extent
            guard total <= bytes.count else { throw fail("declares more data than the file holds (truncated?)") }
            shape.append(extent)
        }
        guard bytes.count - headerLength == total else {
            throw fail("has \(bytes.count - headerLength) data bytes, its header declares \(total)")
        }
        return (shape, Array(bytes[headerLength...]))
    }
}
