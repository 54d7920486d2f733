import Foundation
import Testing
import EBMCore

@Suite("Safetensors")
struct SafetensorsTests {
    /// Builds a file from a hand-written header and data section.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
    }

    @Test func roundTripIsBitExact() throws {
        let special: [Float] = [-0.0, .infinity, -.infinity, Float(bitPattern: 0x7FC0_1234), .leastNonzeroMagnitude, Float(bitPattern: 0x0001_0000), 3.5, -7]
        let file = SafetensorsFile(
            tensors: [
                "layers.0.weight": IOTestSupport.ramp([3, 4]),
                "special": Tensor(shape: [2, 4], scalars: special),
                "scalar": Tensor(shape: [], scalars: [42]),
                "empty": Tensor(shape: [0, 5], scalars: []),
            ],
            metadata: ["note": "quote \" backslash \\ newline \n tab \t bell \u{07} é ✓", "": "empty key"]
        )
        let url = try IOTestSupport.makeDirectory().appendingPathComponent("round.safetensors")
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        try file.write(to: url)
        let back = try SafetensorsFile(contentsOf: url)
        #expect(back.metadata == file.metadata)
        #expect(Set(back.tensors.keys) == Set(file.tensors.keys))
        for (name, tensor) in file.tensors {
            let other = try #require(back.tensors[name])
            #expect(other.shape == tensor.shape, "\(name)")
            #expect(other.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
    }

    @Test func bytesFollowTheFormat() throws {
        let file = SafetensorsFile(
            tensors: ["b": Tensor(shape: [2], scalars: [1, 2]), "a": Tensor(shape: [1, 1], scalars: [3])],
            metadata: ["k": "v"]
        )
        let bytes = try file.encoded()
        let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 12)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        let expected = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(header == expected + String(repeating: " ", count: headerLength - expected.utf8.count))
        #expect(headerLength - expected.utf8.count < 8)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any])
        let b = try #require(json["b"] as? [String: Any])
        #expect(b["dtype"] as? String == "F32")
        #expect(b["shape"] as? [Int] == [2])
        #expect(b["data_offsets"] as? [Int] == [4, 12])
        #expect(Array(bytes[(8 + headerLength)...]) == Self.floatBytes([3, 1, 2]))
    }

    @Test func sameDataGivesSameBytes() throws {
        var first = SafetensorsFile(metadata: ["x": "1", "y": "2"])
        var second = SafetensorsFile(metadata: ["y": "2", "x": "1"])
        for name in ["w", "a", "z", "m"] { first.tensors[name] = IOTestSupport.ramp([2, 3]) }
        for name in ["m", "z", "a", "w"] { second.tensors[name] = IOTestSupport.ramp([2, 3]) }
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        try first.write(to: directory.appendingPathComponent("1.safetensors"))
        try second.write(to: directory.appendingPathComponent("2.safetensors"))
        let one = try IOTestSupport.bytes(directory.appendingPathComponent("1.safetensors"))
        #expect(one == (try IOTestSupport.bytes(directory.appendingPathComponent("2.safetensors"))))
        #expect(one == (try first.encoded()))
    }

    @Test func readsF64AndI64AsFloat() throws {
        let doubles: [Double] = [0.5, -2]
        let integers: [Int64] = [7, -3, 1 << 20]
        let data = doubles.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
            + integers.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let bytes = Self.file(
            header: #"{"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"n":{"dtype":"I64","shape":[3,1],"data_offsets":[16,40]}}"#,
            data: data)
        let file = try SafetensorsFile(bytes: bytes)
        #expect(file.tensors["d"] == Tensor(shape: [2], scalars: [0.5, -2]))
        #expect(file.tensors["n"] == Tensor(shape: [3, 1], scalars: [7, -3, 1_048_576]))
        #expect(file.metadata.isEmpty)
    }

    struct BadHeader: Sendable, CustomTestStringConvertible {
        var header: String
        var dataCount: Int
        var phrase: String
        var testDescription: String { phrase }
    }

    @Test(arguments: [
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, dataCount: 8, phrase: "overlaps tensor a"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, dataCount: 8, phrase: "4 data bytes before tensor a belong to no tensor"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataCount: 8, phrase: "4 trailing data bytes belong to no tensor"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataCount: 4, phrase: "tensor a ends at data byte 8 but the file has only 4 data bytes (truncated)"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataCount: 8, phrase: "tensor a has shape [3] of F32 but its data offsets span 8 bytes"),
        BadHeader(header: #"{"a":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}"#, dataCount: 8, phrase: "tensor a has dtype BF16"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, dataCount: 8, phrase: "reversed data offsets"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, dataCount: 8, phrase: "not [begin, end]"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, dataCount: 8, phrase: "negative extent"),
        BadHeader(header: #"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, dataCount: 8, phrase: "header entry a lacks \"shape\""),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}"#, dataCount: 8, phrase: "header field a.shape.0 has the wrong type"),
        BadHeader(header: #"{"__metadata__":{"k":1}}"#, dataCount: 0, phrase: "header field __metadata__.k has the wrong type"),
        BadHeader(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#, dataCount: 8, phrase: "header is not valid JSON"),
        BadHeader(header: #"[1, 2]"#, dataCount: 0, phrase: "header is not a JSON object"),
        BadHeader(header: "", dataCount: 0, phrase: "header is not valid JSON"),
    ])
    func malformedHeaderIsRejected(_ bad: BadHeader) throws {
        let bytes = Self.file(header: bad.header, data: [UInt8](repeating: 0, count: bad.dataCount))
        let error = #expect(throws: FileFormatError.self) { try SafetensorsFile(bytes: bytes, fileName: "bad.safetensors") }
        #expect(error?.description.hasPrefix("safetensors bad.safetensors: ") == true)
        #expect(error?.description.contains(bad.phrase) == true, "\(error?.description ?? "no error")")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = try SafetensorsFile(tensors: ["w": IOTestSupport.ramp([3, 2])], metadata: ["k": "v"]).encoded()
        for length in 0..<bytes.count {
            #expect(throws: FileFormatError.self, "prefix of \(length) bytes") {
                try SafetensorsFile(bytes: Array(bytes[..<length]))
            }
        }
        let error = #expect(throws: FileFormatError.self) { try SafetensorsFile(bytes: Array(bytes.dropLast())) }
        #expect(error?.problem.contains("truncated") == true)
        let short = #expect(throws: FileFormatError.self) { try SafetensorsFile(bytes: Array(bytes.prefix(5))) }
        #expect(short?.problem.contains("shorter than the 8-byte header length") == true)
    }

    @Test func headerLengthBeyondTheFileIsRejected() throws {
        var bytes = try SafetensorsFile(tensors: ["w": IOTestSupport.ramp([2])]).encoded()
        bytes[6] = 0x01
        let error = #expect(throws: FileFormatError.self) { try SafetensorsFile(bytes: bytes) }
        #expect(error?.problem.contains("exceeds the") == true)
    }

    @Test func flippedHeaderBytesNeverCrash() throws {
        let original = try SafetensorsFile(tensors: ["layers.0.weight": IOTestSupport.ramp([2, 2])], metadata: ["k": "v"]).encoded()
        let headerLength = Int(original[0])
        var rejected = 0
        for index in 8..<(8 + headerLength) {
            var bytes = original
            bytes[index] ^= 0x5A
            do {
                _ = try SafetensorsFile(bytes: bytes)
            } catch is FileFormatError {
                rejected += 1
            }
        }
        // Flips inside the names and the metadata value give other valid files; structural ones
        // must not.
        #expect(rejected > headerLength / 2)
        var braces = original
        braces[8] = UInt8(ascii: "[")
        let error = #expect(throws: FileFormatError.self) { try SafetensorsFile(bytes: braces) }
        #expect(error?.problem == "header is not valid JSON")
    }

    @Test func reservedNameIsRefused() throws {
        let error = #expect(throws: FileFormatError.self) {
            try SafetensorsFile(tensors: ["__metadata__": IOTestSupport.ramp([1])]).encoded()
        }
        #expect(error?.problem.contains("reserved") == true)
    }

    @Test func failedWriteLeavesNothingBehind() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        let blocker = directory.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: blocker)
        let file = SafetensorsFile(tensors: ["w": IOTestSupport.ramp([4])])

        let underFile = #expect(throws: FileFormatError.self) {
            try file.write(to: blocker.appendingPathComponent("model.safetensors"))
        }
        #expect(underFile?.description.hasPrefix("safetensors model.safetensors: cannot create a file in") == true)

        // The temporary file is created, then the rename onto a directory fails: it must go.
        let occupied = directory.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        let onDirectory = #expect(throws: FileFormatError.self) { try file.write(to: occupied) }
        #expect(onDirectory?.problem.contains("cannot replace") == true)
        #expect(try IOTestSupport.listing(directory) == ["model.safetensors", "plain-file"])
        #expect(try IOTestSupport.listing(occupied).isEmpty)
    }

    @Test func missingFileIsOneLine() throws {
        let url = try IOTestSupport.makeDirectory().appendingPathComponent("absent.safetensors")
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        let error = #expect(throws: FileFormatError.self) { try SafetensorsFile(contentsOf: url) }
        #expect(error?.description == "safetensors absent.safetensors: cannot open: No such file or directory")
    }
}
