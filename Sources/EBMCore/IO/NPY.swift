import Foundation

/// NumPy `.npy` files: a magic string, a Python-literal header
/// (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`) and the raw elements.
///
/// Writing produces format 1.0 (2.0 only for headers over 64 KiB) byte-for-byte as
/// `numpy.save` does: C order, header padded so the data starts at a multiple of 64 bytes.
/// Reading accepts versions 1.0–3.0, little-endian `<f4 <f8 <i8 <i4 |u1 |b1`, C or Fortran
/// order (converted to C order), and rejects anything else with a `FileFormatError`.
public enum NPY {
    /// The `.npy` bytes of `array`.
    public static func encode(_ array: NumPyArray) -> [UInt8] {
        let shape: String
        switch array.shape.count {
        case 0: shape = "()"
        case 1: shape = "(\(array.shape[0]),)"
        default: shape = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(array.descr)', 'fortran_order': False, 'shape': \(shape), }"
        // numpy leaves room for the first extent to grow to 21 digits so that appending
        // writers can rewrite the header in place; copied so the bytes match numpy's.
        if let first = array.shape.first { header += String(repeating: " ", count: 21 - String(first).count) }
        var headerBytes = Array(header.utf8)
        // Pads to the next multiple of 64 (a full 64 when already aligned, as numpy does).
        func padding(lengthSize: Int) -> Int { 64 - (magic.count + 2 + lengthSize + headerBytes.count + 1) % 64 }
        // Version 2.0 only when the padded header no longer fits 1.0's 16-bit length.
        let lengthSize = headerBytes.count + padding(lengthSize: 2) + 1 <= Int(UInt16.max) ? 2 : 4
        let pad = padding(lengthSize: lengthSize)
        headerBytes += [UInt8](repeating: UInt8(ascii: " "), count: pad)
        headerBytes.append(UInt8(ascii: "\n"))

        var bytes = magic + [lengthSize == 2 ? 1 : 2, 0]
        if lengthSize == 2 { bytes.appendLittleEndian(UInt16(headerBytes.count)) } else { bytes.appendLittleEndian(UInt32(headerBytes.count)) }
        bytes += headerBytes
        switch array.storage {
        case let .float32(v): bytes.appendRawElements(of: v)
        case let .float64(v): bytes.appendRawElements(of: v)
        case let .int64(v): bytes.appendRawElements(of: v)
        case let .int32(v): bytes.appendRawElements(of: v)
        case let .uint8(v): bytes += v
        case let .bool(v): bytes += v.map { $0 ? 1 : 0 }
        }
        return bytes
    }

    /// Parses `.npy` bytes; `name` only labels errors.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>") throws -> NumPyArray {
        func fail(_ problem: String) -> FileFormatError { FileFormatError(format: "npy", file: name, problem: problem) }
        guard bytes.count >= 10 else { throw fail("is truncated: \(bytes.count) bytes, shorter than the .npy preamble") }
        guard Array(bytes[0..<6]) == magic else { throw fail("is not a .npy file (no \\x93NUMPY magic)") }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes.loadLittleEndian(UInt16.self, at: 8))
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("is truncated inside its header length") }
            headerStart = 12
            headerLength = Int(bytes.loadLittleEndian(UInt32.self, at: 8))
        default:
            throw fail("has format version \(major).\(bytes[7]); versions 1.0 to 3.0 can be read")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw fail("is truncated: header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
        }
        let dataStart = headerStart + headerLength
        var parser = HeaderParser(bytes: Array(bytes[headerStart..<dataStart]))
        let header: [String: HeaderValue]
        do { header = try parser.parseDictionary() } catch let problem as HeaderParser.Problem {
            throw fail("malformed header: \(problem.message)")
        }
        guard Set(header.keys) == ["descr", "fortran_order", "shape"],
              case let .string(descr)? = header["descr"],
              case let .bool(fortranOrder)? = header["fortran_order"],
              case let .integers(shape)? = header["shape"]
        else {
            throw fail("malformed header: needs exactly 'descr' (a string), 'fortran_order' (a bool) and 'shape' (a tuple)")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("has a negative extent in shape \(shape)") }
        guard let element = ElementType(descr: descr) else {
            throw fail("has dtype '\(descr)'; only <f4, <f8, <i8, <i4, |u1 and |b1 (little-endian) can be read")
        }
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fail("shape \(shape) is too large") }
            count = product
        }
        let available = bytes.count - dataStart
        let (needed, overflow) = count.multipliedReportingOverflow(by: element.size)
        guard !overflow else { throw fail("shape \(shape) is too large") }
        guard needed == available else {
            throw fail("has \(available) data bytes but shape \(shape) of \(descr) needs \(needed)\(available < needed ? " (truncated)" : "")")
        }
        let range = dataStart..<bytes.count
        var storage: NumPyArray.Storage
        switch element {
        case .float32: storage = .float32(bytes.loadRawElements(Float.self, in: range))
        case .float64: storage = .float64(bytes.loadRawElements(Double.self, in: range))
        case .int64: storage = .int64(bytes.loadRawElements(Int64.self, in: range))
        case .int32: storage = .int32(bytes.loadRawElements(Int32.self, in: range))
        case .uint8: storage = .uint8(Array(bytes[range]))
        case .bool: storage = .bool(bytes[range].map { $0 != 0 })
        }
        if fortranOrder && shape.count > 1 { storage = storage.cOrder(fromFortranOrderWithShape: shape) }
        return NumPyArray(shape: shape, storage: storage)
    }

    /// Writes `array` to `url` atomically; on failure nothing is left behind.
    public static func write(_ array: NumPyArray, to url: URL) throws {
        try FileIO.writeAtomically(encode(array), to: url, format: "npy")
    }

    /// Reads the `.npy` file at `url`.
    public static func read(from url: URL) throws -> NumPyArray {
        try decode(FileIO.readAll(url, format: "npy"), name: url.lastPathComponent)
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    private enum ElementType {
        case float32, float64, int64, int32, uint8, bool

        init?(descr: String) {
            // '=' (native) is little-endian on every supported host; '|' marks single bytes.
            guard let order = descr.first, "<|=".contains(order) else { return nil }
            switch descr.dropFirst() {
            case "f4": self = .float32
            case "f8": self = .float64
            case "i8": self = .int64
            case "i4": self = .int32
            case "u1": self = .uint8
            case "b1": self = .bool
            default: return nil
            }
        }

        var size: Int {
            switch self {
            case .float64, .int64: return 8
            case .float32, .int32: return 4
            case .uint8, .bool: return 1
            }
        }
    }

    private enum HeaderValue { case string(String), bool(Bool), integers([Int]) }

    /// The subset of Python literal syntax `.npy` headers use: a dict of string keys to
    /// strings, booleans and tuples of integers.
    private struct HeaderParser {
        struct Problem: Error { var message: String }

        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func parseDictionary() throws -> [String: HeaderValue] {
            try expect("{")
            var result: [String: HeaderValue] = [:]
            while true {
                skipSpace()
                if peek() == UInt8(ascii: "}") { position += 1; break }
                let key = try parseString()
                try expect(":")
                guard result[key] == nil else { throw Problem(message: "key '\(key)' appears twice") }
                result[key] = try parseValue()
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                try expect("}")
                break
            }
            skipSpace()
            guard position == bytes.count else { throw Problem(message: "text after the closing brace") }
            return result
        }

        private mutating func parseValue() throws -> HeaderValue {
            skipSpace()
            switch peek() {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "("): return .integers(try parseTuple())
            case UInt8(ascii: "T") where consume("True"): return .bool(true)
            case UInt8(ascii: "F") where consume("False"): return .bool(false)
            default: throw Problem(message: "unexpected value at byte \(position)")
            }
        }

        private mutating func parseString() throws -> String {
            skipSpace()
            guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
                throw Problem(message: "expected a quoted string at byte \(position)")
            }
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != quote {
                // Escapes never occur in the keys and dtype strings a plain header has.
                guard bytes[position] != UInt8(ascii: "\\") else { throw Problem(message: "escaped string at byte \(position)") }
                position += 1
            }
            guard position < bytes.count else { throw Problem(message: "unterminated string") }
            position += 1
            return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
        }

        private mutating func parseTuple() throws -> [Int] {
            try expect("(")
            var values: [Int] = []
            while true {
                skipSpace()
                if peek() == UInt8(ascii: ")") { position += 1; return values }
                let start = position
                while let c = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { position += 1 }
                guard position > start, let value = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
                    throw Problem(message: "expected a non-negative integer at byte \(start)")
                }
                if peek() == UInt8(ascii: "L") { position += 1 }  // Python 2 long literal
                values.append(value)
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                try expect(")")
                return values
            }
        }

        private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        private mutating func skipSpace() {
            while let c = peek(), c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                position += 1
            }
        }

        private mutating func expect(_ character: Character) throws {
            skipSpace()
            guard peek() == character.asciiValue else { throw Problem(message: "expected '\(character)' at byte \(position)") }
            position += 1
        }

        private mutating func consume(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard bytes.count - position >= w.count, Array(bytes[position..<(position + w.count)]) == w else { return false }
            position += w.count
            return true
        }
    }
}

extension NumPyArray.Storage {
    /// The same elements reordered from Fortran (column-major) to C (row-major) order.
    func cOrder(fromFortranOrderWithShape shape: [Int]) -> Self {
        func reorder<T>(_ values: [T]) -> [T] {
            guard !values.isEmpty else { return values }
            var fortranStrides = [Int](repeating: 1, count: shape.count)
            for k in 1..<shape.count { fortranStrides[k] = fortranStrides[k - 1] * shape[k - 1] }
            var index = [Int](repeating: 0, count: shape.count)
            var source = 0
            var out: [T] = []
            out.reserveCapacity(values.count)
            // Walk the C-order index like an odometer (last axis fastest), tracking the
            // corresponding Fortran-order offset.
            for _ in 0..<values.count {
                out.append(values[source])
                var k = shape.count - 1
                while k >= 0 {
                    index[k] += 1
                    source += fortranStrides[k]
                    if index[k] < shape[k] { break }
                    source -= fortranStrides[k] * shape[k]
                    index[k] = 0
                    k -= 1
                }
            }
            return out
        }
        switch self {
        case let .float32(v): return .float32(reorder(v))
        case let .float64(v): return .float64(reorder(v))
        case let .int64(v): return .int64(reorder(v))
        case let .int32(v): return .int32(reorder(v))
        case let .uint8(v): return .uint8(reorder(v))
        case let .bool(v): return .bool(reorder(v))
        }
    }
}
