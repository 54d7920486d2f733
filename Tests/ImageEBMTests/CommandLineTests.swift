import Foundation
import Testing

/// `ebm-image` end to end on tiny models, and its answers to bad input (SPEC §13).
@Suite("ebm-image command line", .serialized)
struct CommandLineTests {
    private struct Result { var status: Int32; var stdout: String; var stderr: String }

    private func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ebm-image")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ebm-image-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private let tiny = ["--size", "16", "--channels", "4,8", "--downsample", "1,1", "--dense", "8", "--batch-size", "4",
                        "--langevin-steps", "3", "--rotation-levels", "4", "--position-levels", "3", "--scale-levels", "2"]

    private func json(_ line: Substring) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    @Test func trainResumeAndEveryTask() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let position = dir.appendingPathComponent("pos.safetensors").path
        let shape = dir.appendingPathComponent("shape.safetensors").path
        let train = try run(["train", "--condition", "position", "--steps", "4", "--save-every", "2", "--log-every", "1",
                             "--checkpoint", position, "--png", dir.appendingPathComponent("t.png").path,
                             "--metrics", dir.appendingPathComponent("t.jsonl").path] + tiny)
        #expect(train.status == 0, "\(train.stderr)")
        let curve = try String(contentsOf: dir.appendingPathComponent("t.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(curve.count == 4 && curve.allSatisfy { json($0)?["loss"] != nil })
        let resumed = try run(["train", "--resume", "--steps", "6", "--log-every", "1", "--checkpoint", position,
                               "--png", dir.appendingPathComponent("t.png").path, "--metrics", dir.appendingPathComponent("t.jsonl").path,
                               "--langevin-steps", "3", "--batch-size", "4"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(json(resumed.stdout.split(separator: "\n").last ?? "")?["steps"] as? Int == 6)
        #expect(try String(contentsOf: dir.appendingPathComponent("t.jsonl"), encoding: .utf8).split(separator: "\n").count == 6)
        #expect(try run(["train", "--condition", "shape", "--steps", "2", "--checkpoint", shape,
                         "--png", dir.appendingPathComponent("s.png").path, "--metrics", dir.appendingPathComponent("s.jsonl").path] + tiny).status == 0)

        let tasks: [(String, [String], String)] = [
            ("sample", ["--model", position, "--langevin-steps", "2", "--rounds", "2"], "position_error_px"),
            ("inpaint", ["--model", position, "--start", "meanImage", "--langevin-steps", "2"], "ratio"),
            ("restore", ["--model", position, "--langevin-steps", "2"], "restored_mse"),
            ("restore", ["--model", position, "--langevin-steps", "2", "--move", "all", "--chains", "2"], "ratio"),
            ("inpaint", ["--model", position, "--langevin-steps", "2", "--chains", "3"], "inpaint_mse"),
            ("crossclass", ["--model", shape, "--langevin-steps", "2"], "after_shape_accuracy"),
            ("ood", ["--model", shape], "auroc_noise"),
            ("classify", ["--model", shape], "accuracy"),
            ("compose", ["--model", position, "--model", shape, "--langevin-steps", "2"], "shape_accuracy"),
            ("compose", ["--model", position, "--model", shape, "--langevin-steps", "2", "--mode", "alternate"], "position_error_px"),
            ("sample", ["--model", shape, "--langevin-steps", "2", "--rounds", "2", "--guidance", "2", "--unguided-rounds", "1"], "shape_accuracy"),
            ("compose", ["--model", position, "--model", shape, "--langevin-steps", "2", "--guidance", "0,2"], "shape_accuracy"),
        ]
        for (index, (task, arguments, key)) in tasks.enumerated() {
            let png = dir.appendingPathComponent("\(task)\(index).png"), metrics = dir.appendingPathComponent("\(task)\(index).jsonl")
            let result = try run([task, "--count", "4", "--png", png.path, "--metrics", metrics.path] + arguments)
            #expect(result.status == 0, "\(task): \(result.stderr)")
            let lines = try String(contentsOf: metrics, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 1 && json(lines[0])?[key] != nil, "\(task): \(lines)")
            #expect(try Data(contentsOf: png).prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
    }

    /// Probes put sample quality on the curve and keep the best step, without changing training.
    @Test func probesScoreTheCurveAndKeepTheBestStep() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func train(_ name: String, _ extra: [String]) throws -> [String: Any]? {
            let result = try run(["train", "--condition", "shape", "--steps", "6", "--log-every", "3", "--chain-shards", "1",
                                  "--checkpoint", dir.appendingPathComponent("\(name).safetensors").path,
                                  "--png", dir.appendingPathComponent("\(name).png").path,
                                  "--metrics", dir.appendingPathComponent("\(name).jsonl").path] + tiny + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return json(result.stdout.split(separator: "\n").last ?? "")
        }
        let summary = try train("probed", ["--probe-every", "2", "--probe-count", "8", "--probe-rounds", "1"])
        let plain = try train("plain", [])
        #expect(plain?["best_step"] == nil)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("plain.best.safetensors").path))
        // Probing draws from its own stream: the trained weights are the same bytes.
        #expect(try Data(contentsOf: dir.appendingPathComponent("probed.safetensors"))
                == Data(contentsOf: dir.appendingPathComponent("plain.safetensors")))

        let curve = try String(contentsOf: dir.appendingPathComponent("probed.jsonl"), encoding: .utf8)
            .split(separator: "\n").compactMap(json)
        #expect(curve.map { $0["step"] as? Int } == [2, 3, 4, 6])
        let probes = curve.compactMap { line -> (step: Int, accuracy: Double)? in
            guard let step = line["step"] as? Int, let accuracy = line["probe_shape_recognised"] as? Double else { return nil }
            #expect(line["probe_recognisable"] is Double && line["probe_shape_accuracy"] is Double)
            return (step, accuracy)
        }
        #expect(probes.map(\.step) == [2, 4, 6])
        let top = probes.map(\.accuracy).max()!
        #expect(summary?["best_probe_score"] as? Double == top)
        #expect(summary?["best_step"] as? Int == probes.first { $0.accuracy == top }?.step)
        let best = try run(["classify", "--model", dir.appendingPathComponent("probed.best.safetensors").path, "--count", "4",
                            "--png", dir.appendingPathComponent("c.png").path, "--metrics", dir.appendingPathComponent("c.jsonl").path])
        #expect(best.status == 0, "\(best.stderr)")
    }

    @Test func badInputGetsOneLineAndNoFiles() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.safetensors").path
        let out = ["--png", dir.appendingPathComponent("o.png").path, "--metrics", dir.appendingPathComponent("o.jsonl").path]
        let unconditional = dir.appendingPathComponent("u.safetensors").path
        #expect(try run(["train", "--condition", "none", "--steps", "1", "--checkpoint", unconditional] + out + tiny).status == 0)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("o.png"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("o.jsonl"))
        try Data("not a checkpoint".utf8).write(to: dir.appendingPathComponent("junk.safetensors"))

        let cases: [[String]] = [
            ["train", "--condition", "colour", "--checkpoint", model] + out,
            ["train", "--step-size", "nan", "--checkpoint", model] + out,
            ["train", "--channels", "4,x", "--checkpoint", model] + out,
            ["train", "--size", "18", "--downsample", "1,1,1", "--channels", "4,4,4", "--checkpoint", model] + out,
            ["train", "--resume", "--checkpoint", model] + out,
            ["train", "--chain-shards", "0", "--checkpoint", model] + out,
            ["train", "--condition", "none", "--label-negatives", "4", "--checkpoint", model] + out,
            ["train", "--probe-every", "-1", "--checkpoint", model] + out,
            ["train", "--probe-every", "2", "--probe-count", "0", "--checkpoint", model] + out,
            ["sample", "--model", model] + out,
            ["sample", "--model", dir.appendingPathComponent("junk.safetensors").path] + out,
            ["sample", "--model", unconditional, "--count", "0"] + out,
            ["sample", "--model", unconditional, "--rounds", "0"] + out,
            ["sample", "--model", unconditional, "--guidance", "1"] + out,
            ["sample", "--model", unconditional, "--guidance", "-1"] + out,
            ["sample", "--model", unconditional, "--guidance", "1,1"] + out,
            ["sample", "--model", unconditional, "--unguided-rounds", "-1"] + out,
            ["compose", "--model", unconditional, "--model", unconditional, "--guidance", "0,x"] + out,
            ["inpaint", "--model", unconditional, "--start", "zeros"] + out,
            ["inpaint", "--model", unconditional, "--chains", "0"] + out,
            ["restore", "--model", unconditional, "--move", "some"] + out,
            ["classify", "--model", unconditional] + out,
            ["compose", "--model", unconditional] + out,
            ["compose", "--model", unconditional, "--model", unconditional, "--mode", "product"] + out,
            ["sample", "--model", unconditional, "--png", "/proc/forbidden/o.png", "--metrics", dir.appendingPathComponent("o.jsonl").path],
        ]
        for arguments in cases {
            let result = try run(arguments)
            let lines = result.stderr.split(separator: "\n")
            #expect(result.status != 0 && lines.count == 1 && lines[0].hasPrefix("ebm-image: error:"), "\(arguments): \(result.stderr)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["junk.safetensors", "u.safetensors"], "\(left)")
    }
}
