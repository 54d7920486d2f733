import EBMCore
import Foundation

/// The JSON-lines file of an evaluation: one `EpisodeRecord` per line, then
/// `{"summary": {…}}`. Shards written separately merge into the file one run would write.
public enum EvaluationLog {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    struct SummaryLine: Codable { var summary: EvaluationSummary }

    /// The file's text for `records` (sorted by episode) and their summary.
    public static func text(_ records: [EpisodeRecord]) throws -> String {
        let sorted = records.sorted { $0.episode < $1.episode }
        var lines = try sorted.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        lines.append(String(decoding: try encoder.encode(SummaryLine(summary: EvaluationSummary(sorted))), as: UTF8.self))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the file atomically.
    public static func write(_ records: [EpisodeRecord], to url: URL) throws {
        try FileIO.writeAtomically(Array(try text(records).utf8), to: url, format: "jsonl")
    }

    /// The episode records of a file written by `write` (its summary line is recomputed, not read).
    public static func records(in url: URL) throws -> [EpisodeRecord] {
        let bytes = try FileIO.readAll(url, format: "jsonl")
        var records: [EpisodeRecord] = []
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
            let data = Data(line.utf8)
            if (try? JSONDecoder().decode(SummaryLine.self, from: data)) != nil { continue }
            do {
                records.append(try JSONDecoder().decode(EpisodeRecord.self, from: data))
            } catch {
                throw EvaluationError("\(url.lastPathComponent) line \(number + 1) is neither an episode record nor a summary")
            }
        }
        return records
    }

    /// Records of several shard files as one evaluation: they must share env, planner, model
    /// and seed, and no episode may appear twice.
    public static func merge(_ urls: [URL]) throws -> [EpisodeRecord] {
        var all: [EpisodeRecord] = []
        for url in urls { all += try records(in: url) }
        guard let first = all.first else { throw EvaluationError("the shards hold no episodes") }
        for r in all where (r.env, r.planner, r.model, r.seed) != (first.env, first.planner, first.model, first.seed) {
            throw EvaluationError("episode \(r.episode) is from another evaluation (\(r.env)/\(r.planner)/seed \(r.seed), expected \(first.env)/\(first.planner)/seed \(first.seed))")
        }
        var seen = Set<Int>()
        for r in all where !seen.insert(r.episode).inserted {
            throw EvaluationError("episode \(r.episode) appears in more than one shard")
        }
        return all.sorted { $0.episode < $1.episode }
    }
}
