import EBMEnvironments

/// Work that needs the concrete environment type (its state and action vectors), chosen by
/// name at run time.
protocol EnvironmentVisitor {
    associatedtype Result
    func visit<E: Environment>(_ environment: E) throws -> Result
}

extension EnvironmentKind {
    /// Runs `visitor` with a fresh environment of this kind.
    func accept<V: EnvironmentVisitor>(_ visitor: V) throws -> V.Result {
        switch self {
        case .particle: return try visitor.visit(Particle())
        case .maze: return try visitor.visit(Maze())
        case .reacher: return try visitor.visit(Reacher())
        }
    }
}
