import ArgumentParser
import EBMCommandLine
import EBMPlanners
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge evaluation shards into one JSON-lines file with one summary.")

    @Argument(help: "Shard files written by `ebm-plan eval --shard i/n`.")
    var shards: [String]

    @Option(help: "JSON-lines file to write.")
    var out: String

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give at least one shard file") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: out)
        try prepareOutputDirectory(for: url)
        let records = try EvaluationLog.merge(shards.map { URL(fileURLWithPath: $0) })
        try EvaluationLog.write(records, to: url)
        let summary = EvaluationSummary(records)
        print(String(format: "%d episodes, success %.1f%%, mean return %.3f", summary.episodes,
                     100 * summary.successRate, summary.meanReturn))
    }
}
