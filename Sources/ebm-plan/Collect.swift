import ArgumentParser
import EBMCore
import EBMEnvironments
import Foundation

/// `ebm-plan collect`: random-action rollouts of an environment to an `.npz` dataset (SPEC §9).
struct Collect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write random-action rollouts of an environment to an .npz dataset.",
        discussion: """
            Episodes start from the environment's random starts (particle/maze: uniform over free \
            space; reacher: its reset distribution) and apply actions uniform in [-1, 1]. Arrays \
            (N episodes, T steps, D state and A action dimensions): states (N, T+1, D) float64, \
            actions (N, T, A) float64, goals (N, 2) float64, episode (N,) int64, blocked (N, T) \
            bool, env (the name as uint8 bytes), seed () int64. The same seed writes the same bytes.
            """)

    @Option(help: "Environment: \(EnvironmentKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var env: String

    @Option(help: "Number of episodes (at least 1).")
    var episodes: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Output .npz file (written atomically).")
    var out: String

    @Option(help: "Steps per episode (default: the environment's time limit).")
    var steps: Int?

    /// ZIP archives without ZIP64, as `NPZ` writes them, stay under 4 GiB.
    private static let byteLimit = 4_000_000_000

    // Checks live here rather than in `validate()`, whose errors ArgumentParser prints together
    // with the usage text: bad values get exactly one line.
    func run() throws {
        let kind = try EnvironmentKind(named: env)
        if episodes < 1 { throw EnvironmentError.invalidCount("--episodes", episodes) }
        if let steps, steps < 1 { throw EnvironmentError.invalidCount("--steps", steps) }
        let steps = steps ?? kind.timeLimit
        // Upper bound per step: a float64 reacher state and action and a blocked flag; per
        // episode also the first state, the goal and the id. Steps are bounded first so that
        // the product cannot overflow.
        let perStep = 4 * 8 + 2 * 8 + 1
        let tooLarge = CollectError("\(episodes) episodes of \(steps) steps would exceed the 4 GB limit of an .npz file")
        guard steps <= Self.byteLimit / perStep else { throw tooLarge }
        guard episodes <= Self.byteLimit / (steps * perStep + 4 * 8 + 2 * 8 + 8) else { throw tooLarge }
        // Fail before a long collection rather than after it; the atomic write still reports
        // anything this misses.
        let url = URL(fileURLWithPath: out)
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw CollectError("cannot write \(out): \(directory) does not exist or is not writable")
        }
        let data = try kind.randomRollouts(episodes: episodes, steps: steps, seed: seed)
        try NPZ.write(data.numpyArrays, to: url)
        print("wrote \(episodes) \(kind.rawValue) episodes of \(steps) steps to \(out)")
    }
}

/// A one-line command-line error.
private struct CollectError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
