/// A growable block of Float32 scratch memory owned by one object.
///
/// Unlike a `[Float]` it is never shared, so writing into it never triggers a copy-on-write;
/// layers and networks keep one per intermediate result and reuse it across calls, which
/// keeps Langevin loops free of per-iteration allocation.
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init() {
        pointer = .allocate(capacity: 1)
        capacity = 0
    }

    deinit { pointer.deallocate() }

    /// Room for `count` floats at `pointer`; grows (never shrinks), leaving the contents undefined.
    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            capacity = count
        }
        return pointer
    }
}

extension Tensor {
    /// A tensor whose elements `fill` writes (every one of them) straight into fresh storage,
    /// skipping the zero-fill of `init(zeros:)`.
    init(shape: [Int], filling fill: (UnsafeMutablePointer<Float>) -> Void) {
        let count = shape.reduce(1, *)
        self.init(shape: shape, scalars: [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { fill(buffer.baseAddress!) }
            initialized = count
        })
    }
}
