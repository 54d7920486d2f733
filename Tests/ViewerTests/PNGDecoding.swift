import CZlib
import EBMRender

/// An independent PNG reader for the tests: parses chunks, checks every CRC with zlib's own
/// `crc32` (not EBMCore's), inflates with zlib's `uncompress` and undoes filter type 0.
/// Returns `nil` for anything it does not understand, which the tests treat as a failure.
struct DecodedPNG {
    var width: Int
    var height: Int
    var bitDepth: UInt8
    var colorType: UInt8
    var chunkTypes: [String]
    var image: PNGImage

    init?(_ bytes: [UInt8]) {
        guard bytes.count > 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func uint32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var header: [UInt8] = [], compressed: [UInt8] = []
        chunkTypes = []
        while offset + 12 <= bytes.count {
            let length = uint32(offset)
            guard offset + 12 + length <= bytes.count else { return nil }
            let typeAndData = Array(bytes[offset + 4..<offset + 8 + length])
            let type = String(decoding: typeAndData[0..<4], as: UTF8.self)
            let crc = typeAndData.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            guard crc == uLong(uint32(offset + 8 + length)) else { return nil }
            chunkTypes.append(type)
            let data = Array(typeAndData[4...])
            if type == "IHDR" { header = data }
            if type == "IDAT" { compressed += data }
            offset += 12 + length
        }
        guard offset == bytes.count, header.count == 13, chunkTypes.last == "IEND" else { return nil }
        width = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
        height = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
        bitDepth = header[8]
        colorType = header[9]
        guard width > 0, height > 0, bitDepth == 8, colorType == 6 else { return nil }
        let stride = width * 4
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { uncompress(out.baseAddress, &rawLength, $0.baseAddress, uLong($0.count)) }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { return nil }
        var pixels: [UInt8] = []
        for row in 0..<height {
            guard raw[row * (stride + 1)] == 0 else { return nil }
            pixels += raw[row * (stride + 1) + 1..<(row + 1) * (stride + 1)]
        }
        image = PNGImage(width: width, height: height, pixels: pixels)
    }
}
