import EBMCore
import EBMEnvironments
import Foundation
import Testing

@Suite("Rollout datasets")
struct RolloutDatasetTests {
    @Test(arguments: EnvironmentKind.allCases)
    func writesAndReadsBackTheDocumentedArrays(kind: EnvironmentKind) throws {
        let data = try kind.randomRollouts(episodes: 3, steps: 7, seed: 5)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("env-tests-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("\(kind.rawValue).npz")
        try NPZ.write(data.numpyArrays, to: url)
        let arrays = try NPZ.read(from: url)

        let d = kind == .reacher ? 4 : 2
        #expect(Set(arrays.keys) == ["states", "actions", "goals", "episode", "blocked", "env", "seed"])
        #expect(arrays["states"]?.shape == [3, 8, d] && arrays["states"]?.float64 == data.states)
        #expect(arrays["actions"]?.shape == [3, 7, 2] && arrays["actions"]?.float64 == data.actions)
        #expect(arrays["goals"]?.shape == [3, 2] && arrays["goals"]?.float64 == data.goals)
        #expect(arrays["episode"]?.int64 == [0, 1, 2])
        #expect(arrays["blocked"]?.shape == [3, 7] && arrays["blocked"]?.bool == data.blocked)
        #expect(arrays["env"]?.uint8.map { String(decoding: $0, as: UTF8.self) } == kind.rawValue)
        #expect(arrays["seed"]?.shape == [] && arrays["seed"]?.int64 == [5])
    }

    /// Every stored transition is the true dynamics applied to the stored action.
    func checkTransitions<E: Environment>(_ env: E, _ data: RolloutDataset) {
        let d = E.stateDimension
        for episode in 0..<data.episodes {
            for t in 0..<data.steps {
                let base = (episode * (data.steps + 1) + t) * d
                let s = E.State(data.states[base..<(base + d)])
                let next = E.State(data.states[(base + d)..<(base + 2 * d)])
                let a = E.Action(data.actions[((episode * data.steps + t) * 2)..<((episode * data.steps + t) * 2 + 2)])
                let (expected, blocked) = env.transition(from: s, action: a)
                #expect(next == expected && blocked == data.blocked[episode * data.steps + t])
            }
        }
    }

    @Test func datasetsFollowTheTrueDynamics() throws {
        let maze = try Maze().randomRollouts(episodes: 20, steps: 300, seed: 8)
        checkTransitions(Maze(), maze)
        #expect(maze.blocked.contains(true))
        let states = stride(from: 0, to: maze.states.count, by: 2).map { SIMD2(maze.states[$0], maze.states[$0 + 1]) }
        #expect(!states.contains { p in Maze.walls.contains { $0.contains(p) } })
        #expect(Set(states.prefix(301).map { [$0.x, $0.y] }).count > 1)  // random starts, not the fixed one
        #expect(maze.states[0] != maze.states[301 * 2])
        #expect(maze.actions.allSatisfy { abs($0) <= 1 })

        let particle = try Particle().randomRollouts(episodes: 10, steps: 100, seed: 8)
        checkTransitions(Particle(), particle)
        #expect(particle.states.allSatisfy { abs($0) <= 1 })  // clipped, unlike the reference's dataset

        let reacher = try Reacher().randomRollouts(episodes: 5, steps: 50, seed: 8)
        checkTransitions(Reacher(), reacher)
        #expect(!reacher.blocked.contains(true))
    }

    @Test func datasetsAreAFunctionOfTheSeed() throws {
        let a = try EnvironmentKind.reacher.randomRollouts(episodes: 4, steps: 10, seed: 1)
        #expect(try a == EnvironmentKind.reacher.randomRollouts(episodes: 4, steps: 10, seed: 1))
        #expect(try a.states != EnvironmentKind.reacher.randomRollouts(episodes: 4, steps: 10, seed: 2).states)
        // Episode i depends only on (seed, i).
        let prefix = try EnvironmentKind.reacher.randomRollouts(episodes: 2, steps: 10, seed: 1)
        #expect(Array(a.states.prefix(prefix.states.count)) == prefix.states)
        #expect(try EnvironmentKind.maze.randomRollouts(episodes: 1, seed: 0).steps == 300)
    }
}
