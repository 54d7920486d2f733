/// Environments whose dynamics can be inverted exactly: the action that moves `state` to
/// `next` in one step, for any reachable unblocked pair.
public protocol ExactInverseDynamics: Environment {
    /// The action that takes `state` to `next`; for pairs no single step connects, the closest
    /// admissible action.
    func action(from state: State, to next: State) -> Action
    /// Where `action` sends `state` when no wall, obstacle or border is in the way: the next
    /// state the action commands. Where the world did something else, the commanded transition
    /// is one it refused — a known infeasible transition (`EnvironmentKind.commandedNextState`).
    func commandedNextState(from state: State, action: Action) -> State
}
