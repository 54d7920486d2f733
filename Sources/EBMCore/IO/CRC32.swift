/// CRC-32 as used by ZIP, PNG and zlib (reflected polynomial 0xEDB88320, initial value and
/// final xor 0xFFFFFFFF).
///
/// Feed bytes with `update` in any number of pieces; `value` is the checksum of everything fed
/// so far. `CRC32.checksum(bytes)` does it in one call.
public struct CRC32: Sendable {
    // The running register, kept inverted between updates as the algorithm prescribes.
    private var register: UInt32 = 0xFFFF_FFFF

    public init() {}

    /// The checksum of the bytes fed so far (0 for none).
    public var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// Feeds `bytes`.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let table = CRC32.table
        var r = register
        for byte in bytes { r = table[Int((r ^ UInt32(byte)) & 0xFF)] ^ (r >> 8) }
        register = r
    }

    /// The checksum of `bytes`.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
