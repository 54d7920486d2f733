import Foundation
import EBMCore

/// Scratch directories and small helpers shared by the file-format tests.
enum IOTestSupport {
    /// A fresh empty directory under the system temporary directory.
    static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ebm-io-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Deletes a directory from `makeDirectory` with its contents.
    static func remove(_ directory: URL) { try? FileManager.default.removeItem(at: directory) }

    /// Names in `directory`, sorted, hidden files included (temporary files start with a dot).
    static func listing(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// The bytes of the file at `url`.
    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    /// Deterministic values both the Swift tests and `scripts/check_interop.py` compute:
    /// element i is i·0.25 − 3 (exact in Float32 for the sizes used).
    static func ramp(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float($0) * 0.25 - 3 })
    }
}
