import Foundation

/// A file that could not be read or written, described in one line that names the format, the
/// file and the problem, e.g. `checkpoint model.safetensors: tensor layers.0.bias is missing`.
///
/// Every reader and writer in `EBMCore/IO` throws only this type, so a command-line entry point
/// can print `description` and exit without a stack trace.
public struct FileFormatError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
    /// The kind of file: "safetensors", "checkpoint", "npy" or "npz".
    public var format: String
    /// The file's name (its last path component, or an entry name inside an archive).
    public var file: String
    /// What is wrong, without the format and file prefix.
    public var problem: String

    public init(format: String, file: String, problem: String) {
        self.format = format
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(format) \(file): \(problem)" }
    public var errorDescription: String? { description }
}
