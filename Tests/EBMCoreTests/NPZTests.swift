import Foundation
import Testing
import EBMCore

@Suite("NPZ")
struct NPZTests {
    static let arrays: [String: NumPyArray] = [
        "states": NumPyArray(shape: [3, 2], float64: [0, 0.5, 1, 1.5, 2, 2.5]),
        "actions": NumPyArray(IOTestSupport.ramp([3, 1])),
        "episode": NumPyArray(shape: [3], int64: [0, 0, 1]),
        "done": NumPyArray(shape: [3], bool: [false, true, false]),
        "pixels": NumPyArray(shape: [2, 2], uint8: [0, 64, 128, 255]),
        "count": NumPyArray(shape: [], int32: [3]),
        "naïve": NumPyArray(shape: [1], float32: [1]),
    ]

    static func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> Int { u16(b, at) | u16(b, at + 2) << 16 }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        var pieces = CRC32()
        pieces.update(Array("1234".utf8))
        pieces.update(Array("56789".utf8))
        #expect(pieces.value == 0xCBF4_3926)
    }

    @Test func roundTripIsExact() throws {
        let url = try IOTestSupport.makeDirectory().appendingPathComponent("data.npz")
        defer { IOTestSupport.remove(url.deletingLastPathComponent()) }
        try NPZ.write(Self.arrays, to: url)
        let back = try NPZ.read(from: url)
        #expect(back == Self.arrays)
        #expect(try NPZ.decode(NPZ.encode([:])).isEmpty)
    }

    @Test func archiveIsStoredSortedAndTimestampFree() throws {
        let bytes = try NPZ.encode(Self.arrays)
        let end = bytes.count - 22
        #expect(Self.u32(bytes, end) == 0x0605_4B50)
        #expect(Self.u16(bytes, end + 10) == Self.arrays.count)
        var position = Self.u32(bytes, end + 16)
        var names: [String] = []
        for _ in 0..<Self.arrays.count {
            #expect(Self.u32(bytes, position) == 0x0201_4B50)
            #expect(Self.u16(bytes, position + 10) == 0)  // stored
            #expect(Self.u16(bytes, position + 12) == 0 && Self.u16(bytes, position + 14) == 0x21)  // 1980-01-01 00:00
            let size = Self.u32(bytes, position + 24)
            let nameLength = Self.u16(bytes, position + 28)
            names.append(String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self))
            let local = Self.u32(bytes, position + 42)
            let dataStart = local + 30 + Self.u16(bytes, local + 26)
            #expect(CRC32.checksum(bytes[dataStart..<(dataStart + size)]) == UInt32(Self.u32(bytes, position + 16)))
            position += 46 + nameLength
        }
        #expect(names == Self.arrays.keys.map { $0 + ".npy" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test func sameDataGivesSameBytes() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        var reordered: [String: NumPyArray] = [:]
        for key in Self.arrays.keys.sorted().reversed() { reordered[key] = Self.arrays[key] }
        try NPZ.write(Self.arrays, to: directory.appendingPathComponent("1.npz"))
        try NPZ.write(reordered, to: directory.appendingPathComponent("2.npz"))
        #expect(try IOTestSupport.bytes(directory.appendingPathComponent("1.npz"))
                == IOTestSupport.bytes(directory.appendingPathComponent("2.npz")))
    }

    /// Positions of an entry's compression method in its local and central headers.
    static func methodFields(_ bytes: [UInt8]) -> [Int] {
        let directory = u32(bytes, bytes.count - 6)
        return [u32(bytes, directory + 42) + 8, directory + 10]
    }

    @Test func deflatedEntryIsRefusedWithAReason() throws {
        var bytes = try NPZ.encode(["x": NumPyArray(shape: [1], float32: [1])])
        for field in Self.methodFields(bytes) { bytes[field] = 8 }
        let error = #expect(throws: FileFormatError.self) { try NPZ.decode(bytes, name: "c.npz") }
        #expect(error?.description == "npz c.npz: entry x.npy is deflate-compressed (numpy.savez_compressed); only uncompressed archives (numpy.savez) can be read")
    }

    @Test func corruptedDataFailsTheCRC() throws {
        var bytes = try NPZ.encode(["x": NumPyArray(shape: [4], float32: [1, 2, 3, 4])])
        bytes[bytes.count - 22 - 46 - 5 - 1] ^= 0xFF  // last data byte, before the central directory
        let error = #expect(throws: FileFormatError.self) { try NPZ.decode(bytes) }
        #expect(error?.problem.contains("fails its CRC-32 check") == true)
    }

    @Test func badEntriesAreNamed() throws {
        var renamed = try NPZ.encode(["x": NumPyArray(shape: [1], float32: [1])])
        for i in renamed.indices where Array(renamed[i..<min(i + 5, renamed.count)]) == Array("x.npy".utf8) {
            renamed[i + 4] = UInt8(ascii: "z")
        }
        let notNpy = #expect(throws: FileFormatError.self) { try NPZ.decode(renamed) }
        #expect(notNpy?.problem == "entry x.npz is not a .npy array")

        let broken = #expect(throws: FileFormatError.self) {
            try NPZ.decode(Array("PK\u{05}\u{06}".utf8) + [UInt8](repeating: 0, count: 10))
        }
        #expect(broken?.problem.contains("not a ZIP archive") == true)
        #expect(throws: FileFormatError.self) { try NPZ.encode(["": NumPyArray(shape: [0], bool: [])]) }
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = try NPZ.encode(["a": NumPyArray(shape: [2], int64: [1, 2]), "b": NumPyArray(shape: [1], bool: [true])])
        for length in 0..<bytes.count {
            #expect(throws: FileFormatError.self, "prefix of \(length) bytes") { try NPZ.decode(Array(bytes[..<length])) }
        }
    }

    @Test func npyErrorsInsideAnArchiveNameTheEntry() throws {
        var bytes = try NPZ.encode(["a": NumPyArray(shape: [1], float32: [1])])
        // Make the entry's dtype big-endian and fix the CRC so only the .npy check can object.
        let start = 30 + 5
        let end = start + Self.u32(bytes, 22)
        let descr = try #require(bytes[start..<end].firstIndex(of: UInt8(ascii: "<")))
        bytes[descr] = UInt8(ascii: ">")
        let crc = CRC32.checksum(bytes[start..<end])
        let directory = Self.u32(bytes, bytes.count - 6)
        for at in [14, directory + 16] {
            for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        }
        let error = #expect(throws: FileFormatError.self) { try NPZ.decode(bytes, name: "d.npz") }
        #expect(error?.description.hasPrefix("npz d.npz: entry a.npy has dtype '>f4'") == true, "\(error?.description ?? "")")
    }

    @Test func failedWriteLeavesNothingBehind() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        let blocker = directory.appendingPathComponent("file")
        try Data().write(to: blocker)
        let error = #expect(throws: FileFormatError.self) {
            try NPZ.write(Self.arrays, to: blocker.appendingPathComponent("data.npz"))
        }
        #expect(error?.description.hasPrefix("npz data.npz: cannot create a file in") == true)
        let occupied = directory.appendingPathComponent("data.npz")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: false)
        #expect(throws: FileFormatError.self) { try NPZ.write(Self.arrays, to: occupied) }
        #expect(try IOTestSupport.listing(directory) == ["data.npz", "file"])
        #expect(try IOTestSupport.listing(occupied).isEmpty)
    }
}
