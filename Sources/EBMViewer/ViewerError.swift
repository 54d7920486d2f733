/// A viewer input problem described in one line (the command prints it and exits non-zero;
/// the window shows it in its title).
public struct ViewerError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
