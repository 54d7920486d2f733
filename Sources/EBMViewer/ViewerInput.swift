/// What a person can ask the viewer to do (Esc/quit is the window's business, not the session's).
public enum ViewerInput: Sendable, Equatable {
    /// Pause or resume stepping.
    case togglePause
    /// Restart the episode from its start, keeping the goal.
    case reset
    /// A random goal from the environment's goal distribution.
    case newGoal
    /// Show or hide the heatmap.
    case toggleHeatmap
    /// Double the number of chains.
    case moreChains
    /// Halve the number of chains.
    case fewerChains
    /// A click at continuous pixel coordinates of the picture (0, 0 at its top-left corner).
    case click(SIMD2<Double>)

    /// The input a typed character stands for: space, r, n, h, + (or =, its unshifted key), −.
    public init?(character: Character) {
        switch character {
        case " ": self = .togglePause
        case "r", "R": self = .reset
        case "n", "N": self = .newGoal
        case "h", "H": self = .toggleHeatmap
        case "+", "=": self = .moreChains
        case "-", "_", "−": self = .fewerChains
        default: return nil
        }
    }
}
