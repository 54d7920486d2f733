import EBMRender
import Foundation

/// The JSON line `ebm-view --screenshot` prints: what was drawn and where, so scripts can check
/// the picture pixel by pixel (world coordinates plus the shown region give the pixel map).
public struct ScreenshotReport: Codable, Equatable, Sendable {
    public var screenshot: String
    public var width: Int
    public var height: Int
    public var env: String
    public var step: Int
    public var success: Bool
    /// The `--planner` driving the episode.
    public var planner: String
    /// Milliseconds of the last plan (absent for the random controller).
    public var planMilliseconds: Double?
    /// Sampled futures drawn in this frame.
    public var futures: Int
    /// The world rectangle shown, [xmin, ymin, xmax, ymax].
    public var region: [Double]
    public var goal: [Double]
    public var agent: [Double]
    /// Where the agent started this episode (the executed path's first point).
    public var start: [Double]
    /// Arm joints from the base outwards (empty for point environments).
    public var joints: [[Double]]

    /// The report for `session`'s current frame, captured as `image` and written to `file`.
    /// The image's own size is reported: the shown region always spans the whole image.
    public init(session: ViewerSession, image: PNGImage, file: String) {
        let scene = session.scene
        func pair(_ p: SIMD2<Double>) -> [Double] { [p.x, p.y] }
        screenshot = file
        width = image.width
        height = image.height
        env = session.environment.kind.rawValue
        step = session.environment.steps
        success = session.success
        planner = session.controller.name
        planMilliseconds = session.planMilliseconds
        futures = scene.traces.futures.count
        region = scene.region.bounds
        goal = pair(scene.geometry.goal)
        agent = pair(scene.geometry.agent)
        start = pair(scene.traces.executed.first ?? scene.geometry.agent)
        joints = scene.geometry.joints.map(pair)
    }

    /// One line of JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Cannot fail: every field is a string, number, bool or array of them, and all numbers
        // come from finite environment states.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
