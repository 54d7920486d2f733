import Foundation
import Testing
import EBMCore

/// Python's numpy and safetensors must read what the toolkit writes, and the toolkit must read
/// what they write. The expected contents live in `scripts/check_interop.py`; both sides
/// compute them from the same formulas. Set `EBM_SKIP_PYTHON_INTEROP=1` where Python or its
/// packages (`pip install numpy safetensors`) are unavailable.
@Suite("Interop", .enabled(if: ProcessInfo.processInfo.environment["EBM_SKIP_PYTHON_INTEROP"] != "1"))
struct InteropTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/check_interop.py")

    static func ramp64(_ count: Int) -> [Double] { (0..<count).map { Double($0) * 0.25 - 3 } }

    func writeSwiftFiles(to directory: URL) throws {
        let ramp = IOTestSupport.ramp
        try SafetensorsFile(
            tensors: ["layers.0.weight": ramp([3, 4]), "layers.0.bias": ramp([4]), "scalar": ramp([]), "empty": ramp([0, 3])],
            metadata: ["format": "interop-1", "note": "é \"quoted\"\nline"]
        ).write(to: directory.appendingPathComponent("swift.safetensors"))
        try SafetensorsFile(tensors: ["a": ramp([5]), "b": ramp([2, 3])])
            .write(to: directory.appendingPathComponent("plain.safetensors"))
        try NPZ.write([
            "f32": NumPyArray(ramp([2, 3, 4])),
            "f64": NumPyArray(shape: [5], float64: (0..<5).map { Double($0) * 0.1 - 1 }),
            "i64": NumPyArray(shape: [2, 3], int64: (0..<6).map { Int64($0) * 1_000_000_007 - 5 }),
            "i32": NumPyArray(shape: [4], int32: (0..<4).map { Int32($0) * -7 }),
            "u8": NumPyArray(shape: [16], uint8: (0..<16).map { UInt8($0 * 17 % 256) }),
            "b1": NumPyArray(shape: [3], bool: [true, false, true]),
            "scalar": NumPyArray(shape: [], float64: Self.ramp64(1)),
        ], to: directory.appendingPathComponent("swift.npz"))
        try NPY.write(NumPyArray(ramp([2, 3, 4])), to: directory.appendingPathComponent("f32.npy"))
        let network = Network(NetworkConfig(inputShape: [3], layers: .mlpEnergy(hidden: [8], spectralNorm: true)), seed: 3)
        try Checkpoint(network: network, metadata: ["kind": "interop"])
            .save(to: directory.appendingPathComponent("checkpoint.safetensors"))
    }

    @Test func pythonReadsSwiftFilesAndSwiftReadsPythonFiles() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        try writeSwiftFiles(to: directory)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, directory.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "check_interop.py failed:\n\(text)")
        #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("ok ") }.count == 5, "\(text)")

        let npz = try NPZ.read(from: directory.appendingPathComponent("python.npz"))
        #expect(npz["f32"] == NumPyArray(IOTestSupport.ramp([2, 3])))
        #expect(npz["f64"] == NumPyArray(shape: [4], float64: (0..<4).map { Double($0) * 0.1 - 1 }))
        #expect(npz["i64"] == NumPyArray(shape: [3], int64: (0..<3).map { Int64($0) * 1_000_000_007 - 5 }))
        #expect(npz["u8"] == NumPyArray(shape: [5], uint8: [0, 50, 100, 150, 200]))
        #expect(npz["b1"] == NumPyArray(shape: [3], bool: [true, false, true]))
        #expect(npz["fortran"] == NumPyArray(shape: [2, 3], float64: Self.ramp64(6)))
        #expect(npz.count == 6)

        #expect(try NPY.read(from: directory.appendingPathComponent("python_fortran.npy")) == NumPyArray(IOTestSupport.ramp([2, 3, 4])))

        let compressed = #expect(throws: FileFormatError.self) {
            try NPZ.read(from: directory.appendingPathComponent("python_compressed.npz"))
        }
        #expect(compressed?.problem.contains("numpy.savez_compressed") == true)

        let file = try SafetensorsFile(contentsOf: directory.appendingPathComponent("python.safetensors"))
        #expect(file.metadata == ["writer": "python"])
        #expect(file.tensors["w"] == IOTestSupport.ramp([2, 2]))
        #expect(file.tensors["d"] == Tensor(shape: [3], scalars: [0, 0.5, 1]))
        #expect(file.tensors["n"] == Tensor(shape: [2], scalars: [-1, 0]))
    }
}
