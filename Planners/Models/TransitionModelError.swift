/// Bad input to model training or loading, in one line: a dataset of another environment or
/// with NaN, a model file for another environment, a checkpoint that cannot be resumed.
public struct TransitionModelError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
