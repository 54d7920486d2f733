import EBMEnvironments

/// An environment's analytic inverse dynamics (particle, maze) as an `InverseDynamics`.
public struct EnvironmentInverseDynamics<E: ExactInverseDynamics>: InverseDynamics {
    public let environment: E
    public init(_ environment: E) { self.environment = environment }

    public func action(from state: [Float], to next: [Float]) -> [Float] {
        let a = environment.action(from: E.State(state.map(Double.init)), to: E.State(next.map(Double.init)))
        return E.array(a).map(Float.init)
    }
}
