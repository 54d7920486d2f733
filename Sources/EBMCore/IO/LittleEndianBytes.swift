// Every file format here is little-endian, and so is every platform this package builds for
// (x86_64, arm64); bulk copies below rely on that instead of swapping element by element.
#if _endian(big)
#error("EBMCore's file formats assume a little-endian host")
#endif

extension Array where Element == UInt8 {
    /// Appends `value` as little-endian bytes.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends the raw little-endian bytes of `values` (integers or IEEE floats, not `Bool`).
    mutating func appendRawElements<T: BitwiseCopyable>(of values: [T]) {
        values.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// The little-endian integer at `offset`; the caller has checked the bounds.
    func loadLittleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= count)
        return T(littleEndian: withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
    }

    /// The bytes in `range` reinterpreted as elements of `T` (integers or IEEE floats, not
    /// `Bool`); the caller has checked that `range` is in bounds and a whole number of elements.
    func loadRawElements<T: BitwiseCopyable>(_ type: T.Type, in range: Range<Int>) -> [T] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count
                     && range.count % MemoryLayout<T>.stride == 0)
        let n = range.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[range]))
            }
            initialized = n
        }
    }
}
