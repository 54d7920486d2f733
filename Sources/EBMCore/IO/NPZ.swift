import Foundation

/// NumPy `.npz` archives: a ZIP file holding one stored (uncompressed) `name.npy` per array,
/// as `numpy.savez` writes and `numpy.load` reads.
///
/// Writing is deterministic (entries in byte-wise name order, a fixed 1980-01-01 timestamp),
/// so the same arrays give the same bytes, and atomic. Archives must stay under 4 GiB (no
/// ZIP64). Reading accepts stored entries only; `numpy.savez_compressed` output is refused
/// with an error that says so.
public enum NPZ {
    /// Writes `arrays` to `url` atomically; on failure nothing is left behind.
    public static func write(_ arrays: [String: NumPyArray], to url: URL) throws {
        let bytes: [UInt8]
        do { bytes = try encode(arrays) } catch let error as FileFormatError {
            throw FileFormatError(format: "npz", file: url.lastPathComponent, problem: error.problem)
        }
        try FileIO.writeAtomically(bytes, to: url, format: "npz")
    }

    /// Reads the `.npz` file at `url`; keys are entry names without `.npy`.
    public static func read(from url: URL) throws -> [String: NumPyArray] {
        try decode(FileIO.readAll(url, format: "npz"), name: url.lastPathComponent)
    }

    /// The archive bytes for `arrays`. Throws for an empty name or an archive of 4 GiB or more.
    public static func encode(_ arrays: [String: NumPyArray]) throws -> [UInt8] {
        func fail(_ problem: String) -> FileFormatError { FileFormatError(format: "npz", file: "<memory>", problem: problem) }
        let names = arrays.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // ZIP reserves 0xFFFF/0xFFFFFFFF to announce ZIP64 fields, so those values are out too.
        guard names.count < 0xFFFF else { throw fail("\(names.count) arrays; at most 65534 fit an archive without ZIP64") }
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        for name in names {
            guard !name.isEmpty else { throw fail("array name is empty") }
            let entryName = Array((name + ".npy").utf8)
            guard entryName.count <= Int(UInt16.max) else { throw fail("array name \(name.prefix(40))… is too long") }
            let data = NPY.encode(arrays[name]!)
            let offset = archive.count
            guard offset + 30 + entryName.count + data.count < Int(UInt32.max) else { throw tooLarge() }
            let crc = CRC32.checksum(data)
            // Bit 11 declares the name UTF-8; plain ASCII names leave it clear, as Python does.
            let flags: UInt16 = entryName.allSatisfy { $0 < 0x80 } ? 0 : 0x0800

            archive.appendLittleEndian(UInt32(0x0403_4B50))
            archive.appendLittleEndian(UInt16(20))  // version needed: 2.0
            archive.appendLittleEndian(flags)
            archive.appendLittleEndian(UInt16(0))  // stored
            archive.appendLittleEndian(UInt16(0))  // time 00:00:00
            archive.appendLittleEndian(fixedDate)
            archive.appendLittleEndian(crc)
            archive.appendLittleEndian(UInt32(data.count))
            archive.appendLittleEndian(UInt32(data.count))
            archive.appendLittleEndian(UInt16(entryName.count))
            archive.appendLittleEndian(UInt16(0))  // extra field length
            archive += entryName
            archive += data

            directory.appendLittleEndian(UInt32(0x0201_4B50))
            directory.appendLittleEndian(UInt16(3 << 8 | 20))  // made by: Unix, ZIP 2.0
            directory.appendLittleEndian(UInt16(20))
            directory.appendLittleEndian(flags)
            directory.appendLittleEndian(UInt16(0))
            directory.appendLittleEndian(UInt16(0))
            directory.appendLittleEndian(fixedDate)
            directory.appendLittleEndian(crc)
            directory.appendLittleEndian(UInt32(data.count))
            directory.appendLittleEndian(UInt32(data.count))
            directory.appendLittleEndian(UInt16(entryName.count))
            directory.appendLittleEndian(UInt16(0))  // extra field length
            directory.appendLittleEndian(UInt16(0))  // comment length
            directory.appendLittleEndian(UInt16(0))  // disk number
            directory.appendLittleEndian(UInt16(0))  // internal attributes
            directory.appendLittleEndian(UInt32(0o100644) << 16)  // regular file, rw-r--r--
            directory.appendLittleEndian(UInt32(offset))
            directory += entryName
        }
        let directoryOffset = archive.count
        guard directoryOffset + directory.count + 22 < Int(UInt32.max) else { throw tooLarge() }
        archive += directory
        archive.appendLittleEndian(UInt32(0x0605_4B50))
        archive.appendLittleEndian(UInt16(0))  // this disk
        archive.appendLittleEndian(UInt16(0))  // disk with the directory
        archive.appendLittleEndian(UInt16(names.count))
        archive.appendLittleEndian(UInt16(names.count))
        archive.appendLittleEndian(UInt32(directory.count))
        archive.appendLittleEndian(UInt32(directoryOffset))
        archive.appendLittleEndian(UInt16(0))  // comment length
        return archive
    }

    /// Parses archive bytes; `name` only labels errors.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>") throws -> [String: NumPyArray] {
        func fail(_ problem: String) -> FileFormatError { FileFormatError(format: "npz", file: name, problem: problem) }
        func u16(_ at: Int) -> Int { Int(bytes.loadLittleEndian(UInt16.self, at: at)) }
        func u32(_ at: Int) -> Int { Int(bytes.loadLittleEndian(UInt32.self, at: at)) }
        let zip64 = "needs ZIP64 (over 4 GiB or 65535 entries), which is not supported"

        // The end record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
        guard bytes.count >= 22,
              let end = stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 0xFFFF), by: -1).first(where: {
                  bytes.loadLittleEndian(UInt32.self, at: $0) == 0x0605_4B50 && $0 + 22 + u16($0 + 20) == bytes.count
              })
        else { throw fail("is truncated or not a ZIP archive (no end-of-central-directory record)") }
        guard u16(end + 4) == 0, u16(end + 6) == 0 else { throw fail("is a multi-part archive, which is not supported") }
        let entryCount = u16(end + 10)
        let directorySize = u32(end + 12)
        let directoryOffset = u32(end + 16)
        guard entryCount != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else { throw fail(zip64) }
        let directoryEnd = directoryOffset + directorySize
        guard directoryEnd <= end else { throw fail("central directory lies outside the file (truncated or corrupted)") }

        var arrays: [String: NumPyArray] = [:]
        var position = directoryOffset
        for _ in 0..<entryCount {
            guard position + 46 <= directoryEnd, bytes.loadLittleEndian(UInt32.self, at: position) == 0x0201_4B50 else {
                throw fail("central directory is corrupted at byte \(position)")
            }
            let flags = u16(position + 8)
            let method = u16(position + 10)
            let crc = bytes.loadLittleEndian(UInt32.self, at: position + 16)
            let compressedSize = u32(position + 20)
            let size = u32(position + 24)
            let nameLength = u16(position + 28)
            let localOffset = u32(position + 42)
            let nameStart = position + 46
            guard nameStart + nameLength <= directoryEnd else { throw fail("central directory is corrupted at byte \(position)") }
            let entry = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
            position = nameStart + nameLength + u16(position + 30) + u16(position + 32)

            guard flags & 1 == 0 else { throw fail("entry \(entry) is encrypted") }
            guard method == 0 else {
                throw fail(method == 8
                    ? "entry \(entry) is deflate-compressed (numpy.savez_compressed); only uncompressed archives (numpy.savez) can be read"
                    : "entry \(entry) uses ZIP compression method \(method); only stored entries can be read")
            }
            guard compressedSize != 0xFFFF_FFFF, size != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else { throw fail(zip64) }
            guard compressedSize == size else { throw fail("entry \(entry) is stored but its sizes differ (corrupted)") }
            guard localOffset + 30 <= directoryOffset, bytes.loadLittleEndian(UInt32.self, at: localOffset) == 0x0403_4B50 else {
                throw fail("entry \(entry) has no local header at byte \(localOffset) (corrupted)")
            }
            // Sizes come from the central directory: numpy's writer leaves 0xFFFFFFFF in the
            // local header and puts the real ones in a ZIP64 extra field.
            let dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28)
            guard dataStart + size <= directoryOffset else { throw fail("entry \(entry) runs past its archive data (truncated or corrupted)") }
            let data = Array(bytes[dataStart..<(dataStart + size)])
            guard CRC32.checksum(data) == crc else { throw fail("entry \(entry) fails its CRC-32 check (corrupted)") }

            guard entry.hasSuffix(".npy"), entry.count > 4 else { throw fail("entry \(entry) is not a .npy array") }
            let key = String(entry.dropLast(4))
            guard arrays[key] == nil else { throw fail("entry \(entry) appears twice") }
            do { arrays[key] = try NPY.decode(data, name: entry) } catch let error as FileFormatError {
                throw fail("entry \(entry) \(error.problem)")
            }
        }
        guard position == directoryEnd else { throw fail("central directory size does not match its \(entryCount) entries (corrupted)") }
        return arrays
    }

    // 1980-01-01, the earliest DOS date: ((1980 - 1980) << 9) | (1 << 5) | 1.
    private static let fixedDate: UInt16 = 0x0021

    private static func tooLarge() -> FileFormatError {
        FileFormatError(format: "npz", file: "<memory>", problem: "archive would reach 4 GiB; larger archives need ZIP64, which is not supported")
    }
}
