import EBMCommandLine
import EBMCore
import Foundation
import ImageEBM

/// Writes a task's PNG grid and JSON-lines metrics (atomically, so a failed run leaves no
/// partial file) and prints the metrics line on stdout.
struct TaskOutput {
    let task: String
    let output: OutputOptions

    var pngURL: URL { URL(fileURLWithPath: output.png ?? "out/image/\(task).png") }
    var metricsURL: URL { URL(fileURLWithPath: output.metrics ?? "out/image/\(task).jsonl") }

    /// Fails before any long computation when an output cannot be created.
    func prepare() throws {
        for url in [pngURL, metricsURL] {
            try prepareOutputDirectory(for: url)
            guard FileManager.default.isWritableFile(atPath: url.deletingLastPathComponent().path) else {
                throw CommandError("cannot write \(url.path): its directory is not writable")
            }
        }
    }

    /// One JSON object per line, keys sorted.
    static func jsonLine(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    func write(_ result: ImageTaskResult, size: Int, extra: [String: Any] = [:]) throws {
        var line: [String: Any] = ["task": task, "seed": output.seed, "png": pngURL.path]
        for (key, value) in result.metrics { line[key] = value.isFinite ? value : nil }
        for (key, value) in extra { line[key] = value }
        let text = try Self.jsonLine(line)
        try ImageGrid.image(rows: result.panels, size: size).write(to: pngURL)
        try FileIO.writeAtomically(Array((text + "\n").utf8), to: metricsURL, format: "jsonl")
        print(text)
    }
}
