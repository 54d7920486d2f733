import CZlib
import EBMCore
import Foundation

/// An 8-bit RGBA image that encodes itself as PNG (SPEC §9: pictures in PNG through zlib).
///
/// Pixels are stored row by row from the top, four bytes per pixel, straight alpha — the layout
/// of a PNG scanline, so encoding is a filter byte per row and one zlib stream. The encoder
/// writes only what a reader needs (IHDR, one IDAT, IEND) so the same pixels always give the
/// same file.
public struct PNGImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: R, G, B, A per pixel, rows from the top.
    public private(set) var pixels: [UInt8]

    /// An image filled with one colour. Both sides must be at least 1.
    public init(width: Int, height: Int, fill: RGBA = RGBA(0, 0, 0, 0)) {
        precondition(width >= 1 && height >= 1, "a PNG image needs at least one pixel")
        self.width = width
        self.height = height
        pixels = [UInt8](unsafeUninitializedCapacity: width * height * 4) { buffer, count in
            for i in stride(from: 0, to: width * height * 4, by: 4) {
                buffer[i] = fill.r
                buffer[i + 1] = fill.g
                buffer[i + 2] = fill.b
                buffer[i + 3] = fill.a
            }
            count = width * height * 4
        }
    }

    /// An image from raw RGBA bytes, rows from the top; `pixels.count` must be `width * height * 4`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 1 && height >= 1 && pixels.count == width * height * 4,
                     "RGBA pixels must hold width × height × 4 bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel in `column` (from the left) and `row` (from the top).
    public subscript(column: Int, row: Int) -> RGBA {
        get {
            let i = offset(column, row)
            return RGBA(pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
        }
        set {
            let i = offset(column, row)
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
            pixels[i + 3] = newValue.a
        }
    }

    private func offset(_ column: Int, _ row: Int) -> Int {
        precondition(column >= 0 && column < width && row >= 0 && row < height, "pixel outside the image")
        return (row * width + column) * 4
    }

    /// The image with its rows in reverse order (OpenGL reads framebuffers bottom row first).
    public func flippedVertically() -> PNGImage {
        let stride = width * 4
        var flipped = [UInt8]()
        flipped.reserveCapacity(pixels.count)
        for row in (0..<height).reversed() { flipped += pixels[row * stride..<(row + 1) * stride] }
        return PNGImage(width: width, height: height, pixels: flipped)
    }

    /// The PNG file's bytes: 8-bit RGBA, no interlace, filter type 0 on every row. Throws
    /// `PNGEncodingError` if zlib fails.
    public func encoded() throws -> [UInt8] {
        var header = [UInt8]()
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        // Bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace.
        header += [8, 6, 0, 0, 0]

        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        Self.appendChunk("IHDR", header, to: &file)
        Self.appendChunk("IDAT", try deflate(scanlines()), to: &file)
        Self.appendChunk("IEND", [], to: &file)
        return file
    }

    /// Writes the PNG atomically: a failed write leaves no partial file.
    public func write(to url: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = try encoded()
        } catch let error as PNGEncodingError {
            throw FileFormatError(format: "png", file: url.lastPathComponent, problem: error.description)
        }
        try FileIO.writeAtomically(bytes, to: url, format: "png")
    }

    /// Rows prefixed with filter byte 0 (None): the images here are flat-coloured drawings that
    /// deflate well without prediction, and it keeps the encoder trivial.
    private func scanlines() -> [UInt8] {
        let stride = width * 4
        var data = [UInt8]()
        data.reserveCapacity(height * (stride + 1))
        for row in 0..<height {
            data.append(0)
            data += pixels[row * stride..<(row + 1) * stride]
        }
        return data
    }

    private func deflate(_ data: [UInt8]) throws -> [UInt8] {
        var capacity = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), Z_BEST_COMPRESSION)
            }
        }
        guard status == Z_OK else { throw PNGEncodingError(zlibStatus: status) }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file += bigEndian(UInt32(data.count))
        file += typeBytes
        file += data
        var crc = CRC32()
        crc.update(typeBytes)
        crc.update(data)
        file += bigEndian(crc.value)
    }
}

private func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

/// zlib refused to compress (in practice: out of memory), as one line.
public struct PNGEncodingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// zlib's return code from `compress2`.
    public let zlibStatus: Int32
    public var description: String { "zlib compression failed with status \(zlibStatus)" }
}
