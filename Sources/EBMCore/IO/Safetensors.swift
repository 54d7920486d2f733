import Foundation

/// A safetensors file: named tensors plus string metadata.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON
/// (`{"__metadata__": {…}, "name": {"dtype": "F32", "shape": […], "data_offsets": [begin, end]}, …}`)
/// padded with spaces to a multiple of 8, then the raw little-endian tensor data. Python's
/// `safetensors` reads what this type writes unchanged, and vice versa.
///
/// Writing stores F32 (the toolkit's tensors), tensors in byte-wise name order, and is atomic.
/// Reading accepts F32, and F64/I64 converted to Float, and is strict: anything that does not
/// describe exactly the bytes present throws a `FileFormatError`.
public struct SafetensorsFile: Equatable, Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// The `__metadata__` string pairs.
    public var metadata: [String: String]

    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates the file at `url`.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: FileIO.readAll(url, format: "safetensors"), fileName: url.lastPathComponent)
    }

    /// Parses and validates a whole file's bytes; `fileName` only labels errors.
    public init(bytes: [UInt8], fileName: String = "<memory>") throws {
        func fail(_ problem: String) -> FileFormatError {
            FileFormatError(format: "safetensors", file: fileName, problem: problem)
        }
        guard bytes.count >= 8 else {
            throw fail("is truncated: \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let declared = bytes.loadLittleEndian(UInt64.self, at: 0)
        guard declared <= UInt64(bytes.count - 8) else {
            throw fail("header length \(declared) exceeds the \(bytes.count - 8) bytes that follow it (truncated or not safetensors)")
        }
        let dataStart = 8 + Int(declared)
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[8..<dataStart]))
        } catch let error as DecodingError {
            throw fail(Self.describe(error))
        } catch let error as FileFormatError {
            throw fail(error.problem)
        }

        let dataCount = bytes.count - dataStart
        // Sorting by offset turns the overlap and gap checks into one pass over neighbours.
        let ordered = header.entries.sorted {
            ($0.value.dataOffsets[0], $0.value.dataOffsets[1], $0.key) < ($1.value.dataOffsets[0], $1.value.dataOffsets[1], $1.key)
        }
        var covered = 0
        var previous: String?
        var tensors: [String: Tensor] = [:]
        for (name, entry) in ordered {
            guard let dtype = DType(rawValue: entry.dtype) else {
                throw fail("tensor \(name) has dtype \(entry.dtype); only F32, F64 and I64 can be read")
            }
            let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
            guard begin <= end else { throw fail("tensor \(name) has reversed data offsets [\(begin), \(end)]") }
            guard end <= dataCount else {
                throw fail("tensor \(name) ends at data byte \(end) but the file has only \(dataCount) data bytes (truncated)")
            }
            if begin < covered {
                throw fail("tensor \(name) overlaps tensor \(previous ?? "?") (data offsets [\(begin), \(end)])")
            }
            if begin > covered {
                throw fail("\(begin - covered) data bytes before tensor \(name) belong to no tensor")
            }
            guard let count = Self.elementCount(entry.shape),
                  case let (bytesNeeded, false) = count.multipliedReportingOverflow(by: dtype.size),
                  bytesNeeded == end - begin
            else {
                throw fail("tensor \(name) has shape \(entry.shape) of \(dtype.rawValue) but its data offsets span \(end - begin) bytes")
            }
            let range = (dataStart + begin)..<(dataStart + end)
            let scalars: [Float]
            switch dtype {
            case .f32: scalars = bytes.loadRawElements(Float.self, in: range)
            case .f64: scalars = bytes.loadRawElements(Double.self, in: range).map { Float($0) }
            case .i64: scalars = bytes.loadRawElements(Int64.self, in: range).map { Float($0) }
            }
            tensors[name] = Tensor(shape: entry.shape, scalars: scalars)
            covered = end
            previous = name
        }
        guard covered == dataCount else {
            throw fail("\(dataCount - covered) trailing data bytes belong to no tensor")
        }
        self.init(tensors: tensors, metadata: header.metadata)
    }

    /// The file's bytes. Throws when a tensor name is empty or `__metadata__`.
    public func encoded() throws -> [UInt8] {
        let names = tensors.keys.sorted(by: Self.byteOrder)
        for name in names where name.isEmpty || name == "__metadata__" {
            throw FileFormatError(format: "safetensors", file: "<memory>", problem: "tensor name \"\(name)\" is reserved or empty")
        }
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted(by: Self.byteOrder)
                .map { "\(Self.jsonString($0)):\(Self.jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let end = offset + tensor.count * MemoryLayout<Float>.size
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(Self.jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        let json = "{" + fields.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        // Space padding to a multiple of 8 keeps the data aligned, as Python's writer does.
        header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        bytes.appendLittleEndian(UInt64(header.count))
        bytes += header
        for name in names { bytes.appendRawElements(of: tensors[name]!.scalars) }
        return bytes
    }

    /// Writes the file atomically (temporary file in the same directory, then rename); on failure
    /// no file and no temporary file is left.
    public func write(to url: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = try encoded()
        } catch let error as FileFormatError {
            throw FileFormatError(format: "safetensors", file: url.lastPathComponent, problem: error.problem)
        }
        try FileIO.writeAtomically(bytes, to: url, format: "safetensors")
    }

    // MARK: - Header

    private enum DType: String {
        case f32 = "F32", f64 = "F64", i64 = "I64"
        var size: Int { self == .f32 ? 4 : 8 }
    }

    private struct Entry: Decodable {
        var dtype: String
        var shape: [Int]
        var dataOffsets: [Int]

        enum CodingKeys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            dtype = try c.decode(String.self, forKey: .dtype)
            shape = try c.decode([Int].self, forKey: .shape)
            dataOffsets = try c.decode([Int].self, forKey: .dataOffsets)
            // Thrown through JSONDecoder; init(bytes:fileName:) adds the format and file name.
            let name = c.codingPath.last?.stringValue ?? "?"
            guard dataOffsets.count == 2, dataOffsets.allSatisfy({ $0 >= 0 }) else {
                throw FileFormatError(format: "", file: "", problem: "tensor \(name) has data_offsets \(dataOffsets), not [begin, end]")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw FileFormatError(format: "", file: "", problem: "tensor \(name) has a negative extent in shape \(shape)")
            }
        }
    }

    private struct Header: Decodable {
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            for key in c.allKeys {
                if key.stringValue == "__metadata__" {
                    metadata = try c.decode([String: String].self, forKey: key)
                } else {
                    entries[key.stringValue] = try c.decode(Entry.self, forKey: key)
                }
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            return "header entry \(path(context)) lacks \"\(key.stringValue)\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return context.codingPath.isEmpty ? "header is not a JSON object" : "header field \(path(context)) has the wrong type"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "header is not valid JSON" : "header field \(path(context)) is malformed"
        @unknown default:
            return "header is not valid JSON"
        }
    }

    private static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for extent in shape {
            let (product, overflow) = n.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            n = product
        }
        return n
    }

    // Byte-wise UTF-8 order, the order Python's writer uses, so files compare equal across
    // implementations (String's `<` follows Unicode canonical ordering instead).
    private static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    // JSON string literal with the escapes serde_json produces.
    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
