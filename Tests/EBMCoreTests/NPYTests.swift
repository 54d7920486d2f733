import Foundation
import Testing
import EBMCore

@Suite("NPY")
struct NPYTests {
    static let samples: [NumPyArray] = [
        NumPyArray(IOTestSupport.ramp([2, 3, 4])),
        NumPyArray(shape: [], float64: [-0.0]),
        NumPyArray(shape: [3], float64: [.pi, -.infinity, Double(bitPattern: 0x7FF8_0000_0000_0042)]),
        NumPyArray(shape: [2, 2], int64: [.min, .max, 0, -1]),
        NumPyArray(shape: [4], int32: [.min, .max, 0, -7]),
        NumPyArray(shape: [0, 3], uint8: []),
        NumPyArray(shape: [5], uint8: [0, 1, 127, 128, 255]),
        NumPyArray(shape: [1, 3], bool: [true, false, true]),
    ]

    @Test(arguments: samples)
    func roundTripIsBitExact(_ array: NumPyArray) throws {
        let bytes = NPY.encode(array)
        let back = try NPY.decode(bytes)
        #expect(back.shape == array.shape)
        #expect(back.descr == array.descr)
        // Re-encoding compares bit patterns, which also covers NaN payloads and -0.
        #expect(NPY.encode(back) == bytes)
        #expect(bytes.count - array.count * Self.itemSize(array.descr) == Self.dataOffset(bytes))
    }

    static func itemSize(_ descr: String) -> Int { Int(String(descr.dropFirst(2)))! }
    static func dataOffset(_ bytes: [UInt8]) -> Int { 10 + Int(bytes[8]) + Int(bytes[9]) << 8 }

    @Test func headerMatchesNumPyByteForByte() {
        // numpy.save(np.arange(6, dtype='<f4').reshape(2, 3)): 128 header bytes, then data.
        let bytes = NPY.encode(NumPyArray(shape: [2, 3], float32: [0, 1, 2, 3, 4, 5]))
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        let expected: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0]
            + Array(header.utf8) + [UInt8](repeating: 0x20, count: 128 - 10 - header.utf8.count - 1) + [0x0A]
        #expect(bytes.count == 128 + 24)
        #expect(Array(bytes.prefix(128)) == expected)
        #expect(Array(bytes[128..<132]) == [0, 0, 0, 0])
        #expect(Array(bytes[132..<136]) == [0, 0, 0x80, 0x3F])
    }

    @Test(arguments: [[Int](), [1], [7], [123456], [2, 3], [1, 2, 3, 4, 5, 6, 7, 8]])
    func dataStartsOnA64ByteBoundary(_ shape: [Int]) {
        let bytes = NPY.encode(NumPyArray(shape: shape, uint8: [UInt8](repeating: 1, count: shape.reduce(1, *))))
        #expect(Self.dataOffset(bytes) % 64 == 0)
        #expect(bytes[Self.dataOffset(bytes) - 1] == 0x0A)
    }

    static func npy(header: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
        var h = Array(header.utf8)
        h += [UInt8](repeating: 0x20, count: 63 - (10 + h.count) % 64) + [0x0A]
        return [0x93] + Array("NUMPY".utf8) + [major, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + data
    }

    @Test func fortranOrderIsConvertedToCOrder() throws {
        // C array [[0, 1, 2], [3, 4, 5]] stored column by column.
        let data: [UInt8] = [0, 3, 1, 4, 2, 5].flatMap { withUnsafeBytes(of: Int32($0).littleEndian, Array.init) }
        let array = try NPY.decode(Self.npy(header: "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", data: data))
        #expect(array == NumPyArray(shape: [2, 3], int32: [0, 1, 2, 3, 4, 5]))

        let cube = (0..<24).map { UInt8($0) }
        // Fortran element (i, j, k) of shape (2, 3, 4) sits at i + 2j + 6k.
        let fortran = (0..<24).map { (f: Int) -> UInt8 in
            let (i, j, k) = (f % 2, (f / 2) % 3, f / 6)
            return UInt8(i * 12 + j * 4 + k)
        }
        let back = try NPY.decode(Self.npy(header: "{'shape': (2, 3, 4), 'fortran_order': True, 'descr': '|u1'}", data: fortran))
        #expect(back.uint8 == cube)
    }

    @Test func accessorsAndConversions() {
        let array = NumPyArray(shape: [3], int64: [1, -2, 3])
        #expect(array.int64 == [1, -2, 3])
        #expect(array.float32 == nil)
        #expect(array.doubles == [1, -2, 3])
        #expect(array.tensor == Tensor(shape: [3], scalars: [1, -2, 3]))
        #expect(NumPyArray(shape: [2], bool: [true, false]).tensor.scalars == [1, 0])
        #expect(NumPyArray(IOTestSupport.ramp([2])).float32 == [-3, -2.75])
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var phrase: String
        var testDescription: String { phrase }
    }

    @Test(arguments: [
        Bad(bytes: Array("PK\u{03}\u{04}not npy at all".utf8), phrase: "is not a .npy file"),
        Bad(bytes: [0x93, 0x4E, 0x55], phrase: "is truncated"),
        Bad(bytes: npy(header: "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0]), phrase: "has dtype '>f4'"),
        Bad(bytes: npy(header: "{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 12)), phrase: "has dtype '<U3'"),
        Bad(bytes: npy(header: "{'descr': '<f4', 'shape': (1,), }", data: [0, 0, 0, 0]), phrase: "needs exactly 'descr'"),
        Bad(bytes: npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", data: [0, 0, 0, 0]), phrase: "malformed header"),
        Bad(bytes: npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: [0, 0, 0, 0]), phrase: "has 4 data bytes but shape [2] of <f4 needs 8 (truncated)"),
        Bad(bytes: npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0, 0]), phrase: "has 5 data bytes but shape [1] of <f4 needs 4"),
        Bad(bytes: npy(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0]), phrase: "malformed header: unexpected value"),
        Bad(bytes: npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0], major: 4), phrase: "format version 4.0"),
    ])
    func malformedInputIsRejected(_ bad: Bad) {
        let error = #expect(throws: FileFormatError.self) { try NPY.decode(bad.bytes, name: "x.npy") }
        #expect(error?.description.hasPrefix("npy x.npy: ") == true)
        #expect(error?.description.contains(bad.phrase) == true, "\(error?.description ?? "no error")")
    }

    @Test func everyTruncationIsRejected() {
        let bytes = NPY.encode(NumPyArray(shape: [2, 2], float64: [1, 2, 3, 4]))
        for length in 0..<bytes.count {
            #expect(throws: FileFormatError.self, "prefix of \(length) bytes") { try NPY.decode(Array(bytes[..<length])) }
        }
    }

    @Test func fileRoundTripAndFailedWrite() throws {
        let directory = try IOTestSupport.makeDirectory()
        defer { IOTestSupport.remove(directory) }
        let url = directory.appendingPathComponent("a.npy")
        let array = NumPyArray(shape: [2], float64: [1.5, -2])
        try NPY.write(array, to: url)
        #expect(try NPY.read(from: url) == array)

        let error = #expect(throws: FileFormatError.self) {
            try NPY.write(array, to: url.appendingPathComponent("b.npy"))
        }
        #expect(error?.description.hasPrefix("npy b.npy: cannot create a file in") == true)
        #expect(try IOTestSupport.listing(directory) == ["a.npy"])
    }
}
