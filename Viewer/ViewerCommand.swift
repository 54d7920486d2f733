#if GUI
import ArgumentParser
import EBMCommandLine
import EBMCore
import EBMRender
import EBMViewer
import Foundation

/// `ebm-view`: the live window (SPEC §12), or a headless screenshot with `--screenshot`.
struct ViewerCommand: OneLineErrorCommand {
    static let configuration = CommandConfiguration(
        commandName: "ebm-view",
        abstract: "Watch an environment live in an OpenGL window: world, goal, sampled futures, executed path.",
        discussion: """
            The planner (default langevin with the embedded model, or --model FILE) replans every \
            control step; the window shows all its sampled futures coloured by cost (green cheap, \
            red expensive), the chosen plan in bold blue and the executed path in black, and the \
            title shows step, success, planner, chains and plan time. --planner random-actions drives with \
            random actions instead. Keys: space pause, R reset, N new random goal, left click set \
            the goal, H heatmap of the model's energy E(s, ·) around the particle, + / - chains, \
            Esc quit. With --screenshot FILE.png the viewer renders --frames frames (one control \
            step each), writes the last one, prints one JSON line describing it and exits; without \
            a screen run it under xvfb-run.
            """)

    @OptionGroup var options: ViewerOptions

    /// Control steps per second in the live window: slow enough to follow a particle's steps.
    private static let stepsPerSecond = 25.0

    func run() throws {
        // One BLAS thread, as ebm-plan: multi-threaded sums vary in their last bits from run to
        // run, which Langevin planning amplifies, and screenshots must be reproducible.
        BLAS.setThreads(1)
        var session = try options.makeSession()
        let frames = try options.screenshotFrames()
        let output = options.screenshot.map { URL(fileURLWithPath: $0) }
        if let output { try prepareOutputDirectory(for: output) }
        let window = try GLWindow(width: session.width, height: session.height, title: session.title,
                                  vsync: frames == nil)
        var renderer = GLSceneRenderer()
        if let frames, let output {
            try screenshot(&session, window: window, renderer: &renderer, frames: frames, to: output)
        } else {
            live(&session, window: window, renderer: &renderer)
        }
    }

    private func screenshot(_ session: inout ViewerSession, window: GLWindow, renderer: inout GLSceneRenderer,
                            frames: Int, to output: URL) throws {
        func render() -> (width: Int, height: Int) {
            session.advance()
            window.title = session.title
            let size = window.framebufferSize
            renderer.draw(session.scene, width: size.width, height: size.height)
            return size
        }
        for _ in 1..<frames {
            _ = render()
            window.swapBuffers()
            window.pollEvents()
        }
        let size = render()
        // Read the back buffer before the swap, when its contents are still defined.
        let image = renderer.readPixels(width: size.width, height: size.height)
        window.swapBuffers()
        try image.write(to: output)
        print(ScreenshotReport(session: session, image: image, file: output.path).json)
    }

    private func live(_ session: inout ViewerSession, window: GLWindow, renderer: inout GLSceneRenderer) {
        var lastStep = Date()
        while !window.shouldClose {
            window.pollEvents()
            for input in window.takeInputs() { session.handle(input) }
            let now = Date()
            let due = Int(now.timeIntervalSince(lastStep) * Self.stepsPerSecond)
            // After a stall (window dragged, machine busy) resume at the normal pace instead of
            // fast-forwarding through the missed steps.
            lastStep = due > 3 ? now : lastStep.addingTimeInterval(Double(due) / Self.stepsPerSecond)
            for _ in 0..<min(due, 3) { session.advance() }
            window.title = session.title
            let size = window.framebufferSize
            renderer.draw(session.scene, width: size.width, height: size.height)
            window.swapBuffers()
        }
    }
}
#endif
