import EBMCore
import Foundation

/// Reads user-supplied CIFAR-10 files in the binary version's format (`data_batch_1.bin` …
/// `test_batch.bin`): records of one label byte (0...9) followed by 3 072 pixel bytes — the
/// 1 024 red, then green, then blue values of a 32×32 image, rows from the top — which is
/// already the NCHW layout. A file that is not a whole number of records, is empty or holds
/// a label above 9 is a one-line `FileFormatError`.
public enum CIFAR10Loader {
    /// Bytes of one record.
    public static let recordLength = 1 + 3 * 32 * 32

    /// The images (`[N, 3, 32, 32]`, pixels / 255) and labels of the given batch files, in order.
    public static func load(_ urls: [URL]) throws -> LabeledImages {
        var pixels: [Float] = []
        var labels: [Int] = []
        for url in urls {
            let bytes = try FileIO.readAll(url, format: "cifar10")
            func fail(_ problem: String) -> FileFormatError {
                FileFormatError(format: "cifar10", file: url.lastPathComponent, problem: problem)
            }
            guard !bytes.isEmpty else { throw fail("is empty") }
            guard bytes.count % recordLength == 0 else {
                throw fail("is \(bytes.count) bytes, not a whole number of \(recordLength)-byte records (truncated?)")
            }
            pixels.reserveCapacity(pixels.count + bytes.count)
            for start in stride(from: 0, to: bytes.count, by: recordLength) {
                let label = Int(bytes[start])
                guard label <= 9 else { throw fail("record \(start / recordLength) has label \(label), not a class 0...9") }
                labels.append(label)
                for k in (start + 1)..<(start + recordLength) { pixels.append(Float(bytes[k]) / 255) }
            }
        }
        guard !labels.isEmpty else {
            throw FileFormatError(format: "cifar10", file: "(none)", problem: "no batch files given")
        }
        return LabeledImages(images: Tensor(shape: [labels.count, 3, 32, 32], scalars: pixels), labels: labels, classCount: 10)
    }
}
