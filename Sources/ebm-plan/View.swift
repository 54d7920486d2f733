import ArgumentParser
import Foundation

/// `ebm-plan view`: the live viewer. It is the separate `ebm-view` executable because it needs
/// the GL packages, which the core must build without; this runs it with the same arguments.
struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch the planner live in an OpenGL window (runs the ebm-view executable).",
        discussion: """
        Every argument goes to ebm-view, which lies next to ebm-plan once built with the GUI \
        trait (swift build --traits GUI; needs libglfw3-dev libgl1-mesa-dev). Example: \
        ebm-plan view --env particle --obstacle -0.2,-0.2,0.2,0.2 --goal 0.6,0.6. \
        ebm-plan view --help shows ebm-view's options.
        """)

    @Argument(parsing: .captureForPassthrough, help: "ebm-view's options (see ebm-view --help).")
    var arguments: [String] = []

    func run() throws {
        let viewer = Self.viewerPath
        guard FileManager.default.isExecutableFile(atPath: viewer) else {
            throw ValidationError("""
                there is no ebm-view next to ebm-plan (\(viewer)); build it with: swift build --traits GUI \
                --product ebm-view (needs libglfw3-dev libgl1-mesa-dev)
                """)
        }
        // The viewer takes over this process, so its window, output and exit status are the
        // command's own; a viewer built without the GUI trait says so itself and exits 1.
        let argv = ([viewer] + arguments).map { strdup($0) } + [nil]
        execv(viewer, argv)
        throw ValidationError("cannot run \(viewer): \(String(cString: strerror(errno)))")
    }

    /// The `ebm-view` in this executable's directory.
    static var viewerPath: String {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("ebm-view").path
    }
}
