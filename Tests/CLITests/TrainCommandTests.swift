import Foundation
import Testing

@Suite("ebm-plan train")
struct TrainCommandTests {
    @Test func trainsResumesAndPrintsOneJSONLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("particle.safetensors").path
        let first = try run("ebm-plan", ["train", "--env", "particle", "--collect-episodes", "4", "--steps", "3",
                                         "--checkpoint-every", "2", "--seed", "1", "--out", out])
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(summary["steps"] as? Int == 3)
        #expect(summary["env"] as? String == "particle")
        for key in ["ranking_accuracy", "energy_positive", "energy_negative", "forward_mse", "inverse_mse", "held_out"] {
            #expect(summary[key] != nil, "missing \(key)")
        }
        let resumed = try run("ebm-plan", ["train", "--env", "particle", "--collect-episodes", "4", "--steps", "5",
                                           "--seed", "1", "--out", out, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])
        #expect(again["steps"] as? Int == 5)
        // Resuming on other data (another collection seed) is refused.
        let otherData = try run("ebm-plan", ["train", "--env", "particle", "--collect-episodes", "5", "--steps", "6",
                                             "--seed", "1", "--out", out, "--resume"])
        #expect(otherData.status != 0 && otherData.stderr.contains("other data"), "\(otherData.stderr)")
    }

    @Test func badInputIsOneLineAndLeavesNoFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let maze = dir.appendingPathComponent("maze.npz").path
        let collected = try run("ebm-plan", ["collect", "--env", "maze", "--episodes", "3", "--steps", "4", "--out", maze])
        #expect(collected.status == 0, "\(collected.stderr)")
        let mazeModel = dir.appendingPathComponent("maze.safetensors").path
        let trained = try run("ebm-plan", ["train", "--env", "maze", "--data", maze, "--steps", "1", "--out", mazeModel])
        #expect(trained.status == 0, "\(trained.stderr)")
        let nanData = dir.appendingPathComponent("nan.npz").path
        try writeDatasetWithNaN(copying: maze, to: nanData)

        let out = dir.appendingPathComponent("m.safetensors").path
        let cases: [([String], String)] = [
            (["--env", "pendulum", "--collect-episodes", "4", "--steps", "2", "--out", out], "unknown environment"),
            (["--env", "particle", "--collect-episodes=-3", "--steps", "2", "--out", out], "at least 1"),
            (["--env", "particle", "--collect-episodes", "4", "--steps=-5", "--out", out], "at least 1"),
            (["--env", "particle", "--collect-episodes", "4", "--steps", "2", "--checkpoint-every", "0", "--out", out], "at least 1"),
            (["--env", "particle", "--steps", "2", "--out", out], "exactly one"),
            (["--env", "particle", "--data", maze, "--collect-episodes", "4", "--steps", "2", "--out", out], "exactly one"),
            (["--env", "particle", "--data", maze, "--steps", "2", "--out", out], "dataset for maze, not particle"),
            (["--env", "maze", "--data", nanData, "--steps", "2", "--out", out], "NaN"),
            (["--env", "maze", "--data", dir.appendingPathComponent("missing.npz").path, "--steps", "2", "--out", out], "missing.npz"),
            (["--env", "particle", "--collect-episodes", "4", "--steps", "2", "--out", "/proc/ebm-nowhere/m.safetensors"], "cannot write"),
            (["--env", "particle", "--collect-episodes", "4", "--steps", "2", "--out", out, "--resume"], "does not exist"),
            (["--env", "particle", "--collect-episodes", "4", "--steps", "2", "--out", mazeModel, "--resume"], "is a model for maze, not particle"),
            (["--env", "particle", "--collect-episodes", "1", "--steps", "2", "--out", out], "at least 2"),
        ]
        for (arguments, message) in cases {
            let result = try run("ebm-plan", ["train"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(result.stderr)")
            #expect(lines.first?.hasPrefix("ebm-plan: error: ") == true, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(arguments) left \(out)")
        }
    }

    @Test func divergingRunReportsOneLineAndKeepsTheCheckpoint() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("p.safetensors").path
        let base = ["train", "--env", "particle", "--collect-episodes", "4", "--out", out]
        let good = try run("ebm-plan", base + ["--steps", "2", "--checkpoint-every", "2"])
        #expect(good.status == 0, "\(good.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        let wild = try run("ebm-plan", base + ["--steps", "300", "--resume", "--learning-rate", "1e6", "--checkpoint-every", "1000"])
        #expect(wild.status != 0)
        #expect(wild.stderr.split(separator: "\n").count == 1, "\(wild.stderr)")
        #expect(wild.stderr.contains("diverged") && wild.stderr.contains("keeps the checkpoint of step 2"), "\(wild.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == bytes)
    }
}

/// A copy of the `.npz` dataset at `source` with one state set to NaN: the archive is stored
/// (uncompressed) ZIP, so the float64 is patched in place and both CRC-32 fields updated.
private func writeDatasetWithNaN(copying source: String, to target: String) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
    let name = Array("states.npy".utf8)
    func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
    func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
    func put32(_ v: UInt32, at i: Int) { for k in 0..<4 { bytes[i + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) } }
    // Local header: signature PK\3\4, name at 30, data after name and extra field.
    var local = 0
    while !(bytes[local] == 0x50 && bytes[local + 1] == 0x4B && bytes[local + 2] == 3 && bytes[local + 3] == 4
            && Array(bytes[(local + 30)..<(local + 30 + u16(local + 26))]) == name) { local += 1 }
    let data = local + 30 + u16(local + 26) + u16(local + 28)
    let size = u32(local + 18)
    // .npy: magic, version, header length (v1: u16 at 8), header; the payload follows.
    let payload = data + 10 + u16(data + 8)
    let nan = Double.nan.bitPattern
    for k in 0..<8 { bytes[payload + 8 + k] = UInt8(truncatingIfNeeded: nan >> (8 * k)) }
    var table = [UInt32](repeating: 0, count: 256)
    for n in 0..<256 {
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        table[n] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes[data..<(data + size)] { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    crc ^= 0xFFFF_FFFF
    put32(crc, at: local + 14)
    var central = 0
    while !(bytes[central] == 0x50 && bytes[central + 1] == 0x4B && bytes[central + 2] == 1 && bytes[central + 3] == 2
            && Array(bytes[(central + 46)..<(central + 46 + u16(central + 28))]) == name) { central += 1 }
    put32(crc, at: central + 16)
    try Data(bytes).write(to: URL(fileURLWithPath: target))
}
