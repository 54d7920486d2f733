import Foundation
import Testing

@Suite("ebm-plan toy")
struct ToyCommandTests {
    @Test func sameSeedGivesTheSameBytes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.svg").path, b = dir.appendingPathComponent("b.svg").path
        let first = try run("ebm-plan", ["toy", "--seed", "7", "--steps", "40", "--samples", "64", "--svg", a])
        let second = try run("ebm-plan", ["toy", "--seed", "7", "--steps", "40", "--samples", "64", "--svg", b])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(second.status == 0)
        #expect(first.stdout.replacingOccurrences(of: a, with: "") == second.stdout.replacingOccurrences(of: b, with: ""))
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        let other = dir.appendingPathComponent("c.svg").path
        _ = try run("ebm-plan", ["toy", "--seed", "8", "--steps", "40", "--samples", "64", "--svg", other])
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) != Data(contentsOf: URL(fileURLWithPath: other)))
    }

    @Test(arguments: [
        ["toy", "--steps", "-1"],
        ["toy", "--samples", "0"],
        ["toy", "--seed", "abc"],
        ["toy", "--svg", "/proc/ebm-nowhere/x.svg", "--steps", "2"],
        ["no-such-command"],
    ])
    func badInputIsOneLine(arguments: [String]) throws {
        let result = try run("ebm-plan", arguments)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.hasPrefix("ebm-plan: error: ") == true, "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/proc/ebm-nowhere/x.svg"))
    }

    @Test func helpStillWorks() throws {
        let result = try run("ebm-plan", ["toy", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--seed"))
    }
}
