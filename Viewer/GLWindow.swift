#if GUI
import CGLFW
import EBMRender
import EBMViewer

/// A fixed-size GLFW window with a legacy (compatibility) OpenGL context, collecting the
/// person's inputs for the session.
///
/// A class because it owns the GLFW window and GLFW's C callbacks find it through the window's
/// user pointer; everything it collects is handed out as values by `takeInputs()`.
final class GLWindow {
    private let handle: OpaquePointer
    /// Size of the picture the session draws, which clicks are reported in.
    private let pictureSize: SIMD2<Double>
    private var inputs: [ViewerInput] = []

    /// GLFW reports errors through a C callback without context; the last one is kept here to
    /// turn a failed call into one message.
    nonisolated(unsafe) private static var lastError = "unknown GLFW error"

    /// Opens the window or throws one line saying why not (typically: no display).
    init(width: Int, height: Int, title: String, vsync: Bool) throws {
        glfwSetErrorCallback { code, description in
            GLWindow.lastError = "GLFW error \(code): " + (description.map { String(cString: $0) } ?? "no description")
        }
        guard glfwInit() == GLFW_TRUE else {
            throw ViewerError("cannot open a window (\(GLWindow.lastError)); run under xvfb-run for headless use")
        }
        glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE)
        glfwWindowHint(GLFW_STENCIL_BITS, 8)
        glfwWindowHint(GLFW_SAMPLES, 0)
        guard let handle = glfwCreateWindow(Int32(width), Int32(height), title, nil, nil) else {
            glfwTerminate()
            throw ViewerError("cannot create an OpenGL window (\(GLWindow.lastError))")
        }
        self.handle = handle
        pictureSize = SIMD2(Double(width), Double(height))
        glfwMakeContextCurrent(handle)
        glfwSwapInterval(vsync ? 1 : 0)
        glfwSetWindowUserPointer(handle, Unmanaged.passUnretained(self).toOpaque())
        installCallbacks()
    }

    deinit {
        glfwDestroyWindow(handle)
        glfwTerminate()
    }

    var shouldClose: Bool { glfwWindowShouldClose(handle) != 0 }

    var title: String = "" {
        didSet { if title != oldValue { glfwSetWindowTitle(handle, title) } }
    }

    /// The drawable size in pixels (equal to the window size except on scaled displays).
    var framebufferSize: (width: Int, height: Int) {
        var width: Int32 = 0, height: Int32 = 0
        glfwGetFramebufferSize(handle, &width, &height)
        return (Int(width), Int(height))
    }

    func pollEvents() { glfwPollEvents() }

    func swapBuffers() { glfwSwapBuffers(handle) }

    /// Inputs since the last call, oldest first.
    func takeInputs() -> [ViewerInput] {
        defer { inputs.removeAll() }
        return inputs
    }

    private static func owner(of window: OpaquePointer?) -> GLWindow? {
        glfwGetWindowUserPointer(window).map { Unmanaged<GLWindow>.fromOpaque($0).takeUnretainedValue() }
    }

    private func installCallbacks() {
        // Characters rather than key codes, so + and − work on any keyboard layout.
        glfwSetCharCallback(handle) { window, codepoint in
            guard let scalar = Unicode.Scalar(codepoint), let input = ViewerInput(character: Character(scalar)) else { return }
            GLWindow.owner(of: window)?.inputs.append(input)
        }
        glfwSetKeyCallback(handle) { window, key, _, action, _ in
            if key == GLFW_KEY_ESCAPE && action == GLFW_PRESS { glfwSetWindowShouldClose(window, GLFW_TRUE) }
        }
        glfwSetMouseButtonCallback(handle) { window, button, action, _ in
            guard button == GLFW_MOUSE_BUTTON_LEFT, action == GLFW_PRESS, let owner = GLWindow.owner(of: window) else { return }
            var x = 0.0, y = 0.0
            var width: Int32 = 0, height: Int32 = 0
            glfwGetCursorPos(window, &x, &y)
            glfwGetWindowSize(window, &width, &height)
            guard width > 0, height > 0 else { return }
            // Cursor positions are in window units; the session thinks in picture pixels.
            let picture = SIMD2(x, y) / SIMD2(Double(width), Double(height)) * owner.pictureSize
            owner.inputs.append(.click(picture))
        }
    }
}
#endif
