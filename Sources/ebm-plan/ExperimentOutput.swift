import ArgumentParser
import EBMCommandLine
import EBMCore
import EBMRender
import Foundation

/// Where an experiment writes: `<directory>/<name>.jsonl` (result lines, summary last) and
/// the figure as `<name>.svg` and `<name>.png`. Each file is written atomically.
struct ExperimentOutput {
    var directory: URL
    var name: String

    init(directory: String, name: String) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.name = name
        try prepareOutputDirectory(for: url("jsonl"))
    }

    func url(_ ext: String) -> URL { directory.appendingPathComponent("\(name).\(ext)") }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The line of `value` as printed and written.
    static func line<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Writes the JSON lines, then the figure.
    func write(lines: [String], svg: SVGDocument, png: PNGImage) throws {
        try FileIO.writeAtomically(Array((lines.joined(separator: "\n") + "\n").utf8), to: url("jsonl"), format: "jsonl")
        try svg.write(to: url("svg"))
        try png.write(to: url("png"))
    }

    /// Writes the JSON lines and a scene as the figure.
    func write(lines: [String], scene: Scene) throws {
        try write(lines: lines, svg: SVGDocument(scene: scene, width: 640, height: 640),
                  png: RasterCanvas(scene: scene, width: 640, height: 640).image)
    }

    /// Writes the JSON lines and a chart as the figure.
    func write(lines: [String], chart: LineChart) throws {
        try write(lines: lines, svg: chart.svg(width: 720, height: 480), png: chart.raster(width: 720, height: 480).image)
    }
}
