#if GUI
import CGLFW
import EBMEnvironments
import EBMRender
import Foundation

/// Draws a `Scene` with legacy OpenGL (immediate mode, compatibility context) by executing
/// `SceneStyle`'s draw commands — the same commands the raster canvas and SVG back-ends run.
///
/// Legacy GL is enough for a few thousand vertices per frame and runs on llvmpipe under Xvfb.
/// Each polyline is blended once per pixel (stencil), as in the other back-ends, so faint
/// futures do not show dark knots at their joints.
struct GLSceneRenderer {
    var style = SceneStyle.standard
    /// Stencil value of the next polyline; pixels already carrying it are skipped.
    private var stencilValue: GLint = 0

    /// Clears the framebuffer and draws `scene` over its whole `width` × `height`.
    mutating func draw(_ scene: Scene, width: Int, height: Int) {
        let map = scene.pixelMap(width: width, height: height)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        let bg = style.background
        glClearColor(GLfloat(bg.r) / 255, GLfloat(bg.g) / 255, GLfloat(bg.b) / 255, 1)
        glClearStencil(0)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT))
        stencilValue = 0
        glMatrixMode(GLenum(GL_PROJECTION))
        glLoadIdentity()
        // World coordinates straight to the window, y up: the same map as PixelMap.
        glOrtho(scene.region.lower.x, scene.region.upper.x, scene.region.lower.y, scene.region.upper.y, -1, 1)
        glMatrixMode(GLenum(GL_MODELVIEW))
        glLoadIdentity()
        glDisable(GLenum(GL_DEPTH_TEST))
        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_SRC_ALPHA), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        for command in style.commands(for: scene) { draw(command, map: map) }
    }

    /// The framebuffer being drawn (before the swap), rows from the top, opaque.
    func readPixels(width: Int, height: Int) -> PNGImage {
        var bytes = [UInt8](repeating: 0, count: width * height * 4)
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        glReadBuffer(GLenum(GL_BACK))
        bytes.withUnsafeMutableBytes {
            glReadPixels(0, 0, GLsizei(width), GLsizei(height), GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
        // Visuals without an alpha channel read back undefined alpha; the picture is opaque.
        for i in stride(from: 3, to: bytes.count, by: 4) { bytes[i] = 255 }
        return PNGImage(width: width, height: height, pixels: bytes).flippedVertically()
    }

    private mutating func draw(_ command: DrawCommand, map: PixelMap) {
        switch command {
        case let .fillRect(box, color):
            setColor(color)
            glRectd(box.lower.x, box.lower.y, box.upper.x, box.upper.y)
        case let .fillCircle(center, radius, color):
            setColor(color)
            disc(center, radius: radius.world(in: map), map: map)
        case let .strokeCircle(center, radius, width, color):
            setColor(color)
            let r = radius.world(in: map), half = map.worldLength(pixels: max(width, 1) / 2)
            let n = segments(forPixelRadius: radius.pixels(in: map))
            glBegin(GLenum(GL_TRIANGLE_STRIP))
            for i in 0...n {
                let angle = 2 * Double.pi * Double(i) / Double(n)
                let direction = SIMD2(cos(angle), sin(angle))
                vertex(center + (r - half) * direction)
                vertex(center + (r + half) * direction)
            }
            glEnd()
        case let .polyline(points, width, color):
            polyline(points.filter { $0.x.isFinite && $0.y.isFinite }, width: width, color, map: map)
        }
    }

    /// Quads along the segments and discs at the vertices (round caps and joins), each pixel
    /// written once thanks to the stencil.
    private mutating func polyline(_ points: [SIMD2<Double>], width: Double, _ color: RGBA, map: PixelMap) {
        guard !points.isEmpty else { return }
        if stencilValue == 255 {
            glClear(GLbitfield(GL_STENCIL_BUFFER_BIT))
            stencilValue = 0
        }
        stencilValue += 1
        glEnable(GLenum(GL_STENCIL_TEST))
        glStencilFunc(GLenum(GL_NOTEQUAL), stencilValue, 0xFF)
        glStencilOp(GLenum(GL_KEEP), GLenum(GL_KEEP), GLenum(GL_REPLACE))
        setColor(color)
        let half = map.worldLength(pixels: max(width, 1) / 2)
        glBegin(GLenum(GL_QUADS))
        for (a, b) in zip(points, points.dropFirst()) {
            let d = b - a, length = (d * d).sum().squareRoot()
            guard length > 0 else { continue }
            let normal = SIMD2(-d.y, d.x) / length * half
            vertex(a + normal)
            vertex(b + normal)
            vertex(b - normal)
            vertex(a - normal)
        }
        glEnd()
        for p in points { disc(p, radius: half, map: map) }
        glDisable(GLenum(GL_STENCIL_TEST))
    }

    private func disc(_ center: SIMD2<Double>, radius: Double, map: PixelMap) {
        let n = segments(forPixelRadius: radius * map.scale.x)
        glBegin(GLenum(GL_TRIANGLE_FAN))
        vertex(center)
        for i in 0...n {
            let angle = 2 * Double.pi * Double(i) / Double(n)
            vertex(center + radius * SIMD2(cos(angle), sin(angle)))
        }
        glEnd()
    }

    /// Enough segments that the polygon is within a fraction of a pixel of the circle.
    private func segments(forPixelRadius r: Double) -> Int { min(max(Int(r.rounded(.up)) * 2, 12), 128) }

    private func setColor(_ c: RGBA) { glColor4ub(c.r, c.g, c.b, c.a) }

    private func vertex(_ p: SIMD2<Double>) { glVertex2d(p.x, p.y) }
}
#endif
