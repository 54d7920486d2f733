import ArgumentParser
import Foundation

/// The toolkit's command-line entry point: bad input ends with one line on stderr
/// (`ebm-plan: error: …`) and a non-zero exit, never a usage dump or a stack trace; `--help`
/// still prints help on stdout.
public protocol OneLineErrorCommand: ParsableCommand {}

extension OneLineErrorCommand {
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let message = Self.message(for: error)
                .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "\(error)"
            let name = configuration.commandName ?? "command"
            FileHandle.standardError.write(Data("\(name): error: \(message)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

/// Creates the parent directory of an output file, with one clear error when that fails.
public func prepareOutputDirectory(for url: URL) throws {
    let directory = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
        throw ValidationError("cannot create the output directory \(directory.path)")
    }
}
