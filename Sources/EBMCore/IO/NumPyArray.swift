/// An n-dimensional array as NumPy stores it in `.npy`/`.npz` files: a C-order shape and typed
/// elements.
///
/// Datasets keep their natural element types (float64 states, int64 episode ids, bool flags),
/// so this is separate from `Tensor`, which is Float32 only; `tensor` converts.
public struct NumPyArray: Equatable, Sendable {
    /// The elements in C (row-major) order, with their type.
    public enum Storage: Equatable, Sendable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
        case int32([Int32])
        case uint8([UInt8])
        case bool([Bool])
    }

    /// Extent along each axis (`[]` for a scalar).
    public var shape: [Int]
    /// The elements.
    public var storage: Storage

    /// An array with the given shape and elements; the element count must equal the shape's
    /// product.
    public init(shape: [Int], storage: Storage) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == storage.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// The tensor's shape and Float32 elements.
    public init(_ tensor: Tensor) { self.init(shape: tensor.shape, storage: .float32(tensor.scalars)) }
    public init(shape: [Int], float32 values: [Float]) { self.init(shape: shape, storage: .float32(values)) }
    public init(shape: [Int], float64 values: [Double]) { self.init(shape: shape, storage: .float64(values)) }
    public init(shape: [Int], int64 values: [Int64]) { self.init(shape: shape, storage: .int64(values)) }
    public init(shape: [Int], int32 values: [Int32]) { self.init(shape: shape, storage: .int32(values)) }
    public init(shape: [Int], uint8 values: [UInt8]) { self.init(shape: shape, storage: .uint8(values)) }
    public init(shape: [Int], bool values: [Bool]) { self.init(shape: shape, storage: .bool(values)) }

    /// Number of elements.
    public var count: Int { storage.count }

    /// NumPy's type string for the elements (`<f4`, `<f8`, `<i8`, `<i4`, `|u1`, `|b1`).
    public var descr: String { storage.descr }

    /// The elements when they are float32, else nil.
    public var float32: [Float]? { if case let .float32(v) = storage { return v } else { return nil } }
    /// The elements when they are float64, else nil.
    public var float64: [Double]? { if case let .float64(v) = storage { return v } else { return nil } }
    /// The elements when they are int64, else nil.
    public var int64: [Int64]? { if case let .int64(v) = storage { return v } else { return nil } }
    /// The elements when they are int32, else nil.
    public var int32: [Int32]? { if case let .int32(v) = storage { return v } else { return nil } }
    /// The elements when they are uint8, else nil.
    public var uint8: [UInt8]? { if case let .uint8(v) = storage { return v } else { return nil } }
    /// The elements when they are bool, else nil.
    public var bool: [Bool]? { if case let .bool(v) = storage { return v } else { return nil } }

    /// Every element converted to Double (exact except int64 beyond ±2⁵³; true is 1).
    public var doubles: [Double] {
        switch storage {
        case let .float32(v): return v.map(Double.init)
        case let .float64(v): return v
        case let .int64(v): return v.map(Double.init)
        case let .int32(v): return v.map(Double.init)
        case let .uint8(v): return v.map(Double.init)
        case let .bool(v): return v.map { $0 ? 1 : 0 }
        }
    }

    /// The array as a Float32 tensor of the same shape (float64 and int64 elements rounded).
    public var tensor: Tensor {
        switch storage {
        case let .float32(v): return Tensor(shape: shape, scalars: v)
        case let .float64(v): return Tensor(shape: shape, scalars: v.map(Float.init))
        case let .int64(v): return Tensor(shape: shape, scalars: v.map(Float.init))
        case let .int32(v): return Tensor(shape: shape, scalars: v.map(Float.init))
        case let .uint8(v): return Tensor(shape: shape, scalars: v.map(Float.init))
        case let .bool(v): return Tensor(shape: shape, scalars: v.map { $0 ? 1 : 0 })
        }
    }
}

extension NumPyArray.Storage {
    /// Number of elements.
    public var count: Int {
        switch self {
        case let .float32(v): return v.count
        case let .float64(v): return v.count
        case let .int64(v): return v.count
        case let .int32(v): return v.count
        case let .uint8(v): return v.count
        case let .bool(v): return v.count
        }
    }

    /// NumPy's type string for the elements.
    public var descr: String {
        switch self {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int64: return "<i8"
        case .int32: return "<i4"
        case .uint8: return "|u1"
        case .bool: return "|b1"
        }
    }
}
