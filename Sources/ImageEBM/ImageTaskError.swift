/// A task asked of a model that cannot do it (a cross-class mapping for an unconditional
/// model, a composition of models of different sizes, …), in one line.
public struct ImageTaskError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
