import CZlib
import EBMCore
import EBMRender
import Foundation
import Testing

@Suite("PNG encoder")
struct PNGImageTests {
    /// 5 × 3 pixels, every one different, with varied alpha.
    func sample() -> PNGImage {
        var image = PNGImage(width: 5, height: 3)
        for row in 0..<3 {
            for column in 0..<5 {
                image[column, row] = RGBA(UInt8(column * 50), UInt8(row * 100), UInt8(column * 7 + row), UInt8(255 - column * 30))
            }
        }
        return image
    }

    @Test func decodesToTheSamePixels() throws {
        let image = sample()
        let decoded = try #require(DecodedPNG(try image.encoded()))
        #expect(decoded.width == 5 && decoded.height == 3)
        #expect(decoded.chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect(decoded.image == image)
        #expect(decoded.image[4, 2] == RGBA(200, 200, 30, 135))
    }

    @Test func crcMatchesZlibAndTheKnownIENDValue() {
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        let zlib = text.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        #expect(UInt(CRC32.checksum(text)) == UInt(zlib))
        #expect(CRC32.checksum(text) == 0x414F_A339)
        // Every PNG ends with the same IEND chunk, whose CRC is the well-known AE 42 60 82.
        #expect(CRC32.checksum(Array("IEND".utf8)) == 0xAE42_6082)
    }

    @Test func encodingIsDeterministic() throws {
        #expect(try sample().encoded() == sample().encoded())
    }

    @Test func flippingReversesRows() {
        let image = sample()
        let flipped = image.flippedVertically()
        #expect(flipped[1, 0] == image[1, 2])
        #expect(flipped.flippedVertically() == image)
    }

    @Test func writesAtomicallyAndFailsWithOneLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ebm-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.png")
        try sample().write(to: url)
        #expect(DecodedPNG(Array(try Data(contentsOf: url)))?.image == sample())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.png"])

        let missing = dir.appendingPathComponent("no-such-dir/b.png")
        let error = #expect(throws: FileFormatError.self) { try sample().write(to: missing) }
        #expect(error?.description.hasPrefix("png b.png: cannot create a file") == true)
        #expect(error?.description.contains("\n") == false)
    }
}
