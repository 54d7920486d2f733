/// 2-D convolution of NCHW batches `[B, C_in, H, W]` with TensorFlow "SAME" padding, the
/// convolution of IGEBM's `conv_block`.
///
/// The output is ⌈H/stride⌉ × ⌈W/stride⌉. The padding this needs,
/// max((out − 1)·stride + k − H, 0), is split with the smaller half before (top, left), as
/// TensorFlow does; PyTorch's symmetric `padding=1` gives the same sizes but shifted taps at
/// stride 2 on even inputs.
///
/// The kernel is stored as `[k, k, C_in, C_out]` (TensorFlow's HWIO), which read row-major is
/// the matrix `[k·k·C_in, C_out]` that spectral normalisation views. With spectral
/// normalisation the kernel is initialised N(0, 1) as in IGEBM, otherwise Glorot-uniform with
/// fan_in = k·k·C_in and fan_out = k·k·C_out. The bias starts at zero.
///
/// The input is unfolded (im2col) into columns `[k·k·C_in, B·H_out·W_out]`, and the output is
/// `Wᵀ · columns`, channel-major. The batch goes through in groups of images, each group's
/// columns unfolded and multiplied while they are still in cache; a group is one image when
/// an output plane spans a full 64-column panel of the product, and then its channel-major
/// block *is* the image in NCHW, written in place with the bias added in the product's
/// epilogue. Smaller planes are grouped up to 64 columns and their blocks copied to NCHW.
/// Backward goes the same way: ∂columns = W · ∂Y per group, folded back onto the input
/// (col2im) at once; ∂W = columns · ∂Yᵀ over the whole batch when parameters are asked for.
/// The unfolded input and the scratch buffers are kept and only grow, so repeated calls
/// (Langevin steps) allocate nothing but their result tensors.
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    /// Side of the square kernel.
    public let kernel: Int
    public let stride: Int
    /// Kernel `[k, k, C_in, C_out]`.
    public let weight: Parameter
    /// Per-output-channel bias `[C_out]`, nil for a layer built without one.
    public let bias: Parameter?
    private let spectral: SpectralNormalization?

    /// Shape of the last input; the columns already hold everything else backward needs.
    private var inputShape = [0, 0, 0, 0]
    private var geometry = Geometry(height: 0, width: 0, kernel: 1, stride: 1)
    /// im2col of the last input; the weight gradient needs it.
    private var columns: [Float] = []
    /// The channel-major output gradient of the whole batch (weight gradients only).
    private var channelMajor: [Float] = []
    /// One group's channel-major output, output gradient and column gradient.
    private let groupOutput = ScratchBuffer()
    private let groupColumnGradient = ScratchBuffer()
    /// ∂L/∂W̄ before the spectral-norm chain rule.
    private var normalizedKernelGradient: [Float] = []

    public init(inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1,
                bias: Bool = true, spectralNorm: Bool = false, rng: inout RNG) {
        precondition(inputChannels > 0 && outputChannels > 0, "Conv2D needs positive channel counts")
        precondition(kernel > 0 && stride > 0, "Conv2D needs a positive kernel size and stride")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
        let fanIn = kernel * kernel * inputChannels
        let fanOut = kernel * kernel * outputChannels
        let count = fanIn * outputChannels
        let w: [Float]
        if spectralNorm {
            w = (0..<count).map { _ in rng.gaussian() }
        } else {
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            w = (0..<count).map { _ in rng.uniform(-limit, limit) }
        }
        weight = Parameter(name: "weight", value: Tensor(shape: [kernel, kernel, inputChannels, outputChannels], scalars: w))
        self.bias = bias ? Parameter(name: "bias", value: Tensor(zeros: [outputChannels])) : nil
        spectral = spectralNorm ? SpectralNormalization(fanIn: fanIn, fanOut: outputChannels, rng: &rng) : nil
        spectral?.refresh(weight: w)
    }

    public func outputShape(for inputShape: [Int]) -> [Int] {
        precondition(inputShape.count == 3 && inputShape[0] == inputChannels,
                     "Conv2D expects samples [\(inputChannels), H, W], got \(inputShape)")
        let g = Geometry(height: inputShape[1], width: inputShape[2], kernel: kernel, stride: stride)
        return [outputChannels, g.outHeight, g.outWidth]
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) + (spectral.map { [$0.u] } ?? []) }

    public func beginTrainingStep() {
        guard let spectral else { return }
        spectral.iterate(weight: weight.value.scalars)
        spectral.refresh(weight: weight.value.scalars)
    }

    public func parametersDidChange() { spectral?.refresh(weight: weight.value.scalars) }

    /// The kernel the forward pass uses (W̄ under spectral normalisation), `[k·k·C_in, C_out]` row-major.
    public var effectiveWeight: [Float] { spectral?.normalizedWeight ?? weight.value.scalars }

    private var depth: Int { kernel * kernel * inputChannels }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[1] == inputChannels,
                     "Conv2D expects [B, \(inputChannels), H, W], got \(x.shape)")
        let batch = x.shape[0]
        let g = Geometry(height: x.shape[2], width: x.shape[3], kernel: kernel, stride: stride)
        geometry = g
        inputShape = x.shape
        let plane = g.outHeight * g.outWidth
        let n = batch * plane
        guard n > 0 else { return Tensor(zeros: [batch, outputChannels, g.outHeight, g.outWidth]) }
        Self.reserve(&columns, depth * n)
        let (k, s, cin, cout, depth) = (kernel, stride, inputChannels, outputChannels, depth)
        let group = Self.imagesPerGroup(plane: plane)
        let inImage = cin * g.height * g.width, outImage = cout * plane
        let zeros = bias == nil ? [Float](repeating: 0, count: cout) : []
        return Tensor(shape: [batch, cout, g.outHeight, g.outWidth]) { out in
            columns.withUnsafeMutableBufferPointer { cols in
                x.scalars.withUnsafeBufferPointer { xp in
                    (bias?.value.scalars ?? zeros).withUnsafeBufferPointer { bp in
                        effectiveWeight.withUnsafeBufferPointer { wp in
                            for first in Swift.stride(from: 0, to: batch, by: group) {
                                let images = min(group, batch - first), columns = images * plane
                                let groupColumns = cols.baseAddress! + first * plane
                                g.unfold(xp.baseAddress! + first * inImage, batch: images, channels: cin, kernel: k, stride: s,
                                         into: groupColumns, rowStride: n)
                                // One image: its channel-major block is its NCHW block.
                                let target = images == 1 ? out + first * outImage : groupOutput.reserve(cout * columns)
                                BLAS.fusedGemm(m: cout, n: columns, k: depth, wp.baseAddress!, rowStride: 1, columnStride: cout,
                                               groupColumns, ldb: n, target, ldc: columns, rowBias: bp.baseAddress!)
                                if images > 1 {
                                    for i in 0..<images {
                                        for c in 0..<cout {
                                            (out + (first + i) * outImage + c * plane)
                                                .update(from: target + c * columns + i * plane, count: plane)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ gradient: Tensor, _ request: GradientRequest) -> Tensor {
        let g = geometry
        let batch = inputShape[0]
        let plane = g.outHeight * g.outWidth
        let n = batch * plane
        let (k, s, cin, cout, depth) = (kernel, stride, inputChannels, outputChannels, depth)
        precondition(gradient.count == cout * n, "Conv2D gradient has \(gradient.count) scalars, expected \(cout * n)")
        guard n > 0 else { return request.contains(.inputs) ? Tensor(zeros: inputShape) : Tensor(zeros: [0]) }
        if request.contains(.parameters) {
            Self.reserve(&channelMajor, cout * n)
            gradient.scalars.withUnsafeBufferPointer { gp in
                channelMajor.withUnsafeMutableBufferPointer { cm in
                    for i in 0..<batch {
                        for c in 0..<cout {
                            (cm.baseAddress! + c * n + i * plane).update(from: gp.baseAddress! + (i * cout + c) * plane, count: plane)
                        }
                    }
                }
            }
            accumulateParameterGradients(n: n)
        }
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        let group = Self.imagesPerGroup(plane: plane)
        let inImage = cin * g.height * g.width, outImage = cout * plane
        var dx = Tensor(zeros: inputShape)
        dx.scalars.withUnsafeMutableBufferPointer { dp in
            gradient.scalars.withUnsafeBufferPointer { gp in
                effectiveWeight.withUnsafeBufferPointer { wp in
                    for first in Swift.stride(from: 0, to: batch, by: group) {
                        let images = min(group, batch - first), columns = images * plane
                        // One image: its NCHW gradient block is already channel-major.
                        var groupGradient = UnsafePointer(gp.baseAddress! + first * outImage)
                        if images > 1 {
                            let cm = groupOutput.reserve(cout * columns)
                            for i in 0..<images {
                                for c in 0..<cout {
                                    (cm + c * columns + i * plane).update(from: groupGradient + (i * cout + c) * plane, count: plane)
                                }
                            }
                            groupGradient = UnsafePointer(cm)
                        }
                        let dc = groupColumnGradient.reserve(depth * columns)
                        BLAS.gemm(m: depth, n: columns, k: cout, wp.baseAddress!, groupGradient, dc)
                        g.fold(dc, batch: images, channels: cin, kernel: k, stride: s, rowStride: columns,
                               into: dp.baseAddress! + first * inImage)
                    }
                }
            }
        }
        return dx
    }

    /// Images per group: enough for the group's output positions to fill one 64-column panel
    /// of the product (one image from 8×8 outputs up).
    private static func imagesPerGroup(plane: Int) -> Int { max(1, 64 / max(plane, 1)) }

    /// Bias and kernel gradients from the channel-major output gradient and the kept columns.
    private func accumulateParameterGradients(n: Int) {
        let (cout, depth) = (outputChannels, depth)
        if let bias {
            channelMajor.withUnsafeBufferPointer { cm in
                bias.gradient.scalars.withUnsafeMutableBufferPointer { bg in
                    for c in 0..<cout {
                        var sum: Float = 0
                        for j in (c * n)..<((c + 1) * n) { sum += cm[j] }
                        bg[c] += sum
                    }
                }
            }
        }
        columns.withUnsafeBufferPointer { cols in
            channelMajor.withUnsafeBufferPointer { cm in
                if let spectral {
                    Self.reserve(&normalizedKernelGradient, depth * cout)
                    normalizedKernelGradient.withUnsafeMutableBufferPointer { kg in
                        BLAS.gemm(transposeB: true, m: depth, n: cout, k: n,
                                  cols.baseAddress!, cm.baseAddress!, beta: 0, kg.baseAddress!)
                    }
                    spectral.accumulateWeightGradient(normalizedKernelGradient, into: &weight.gradient.scalars)
                } else {
                    weight.gradient.scalars.withUnsafeMutableBufferPointer { wg in
                        BLAS.gemm(transposeB: true, m: depth, n: cout, k: n,
                                  cols.baseAddress!, cm.baseAddress!, beta: 1, wg.baseAddress!)
                    }
                }
            }
        }
    }

    /// Grows `buffer` to at least `count` scalars; never shrinks, so alternating batch sizes
    /// do not reallocate.
    private static func reserve(_ buffer: inout [Float], _ count: Int) {
        if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
    }
}

extension Conv2D {
    /// Sizes and SAME padding of one convolution, plus the im2col/col2im index maps.
    ///
    /// Column row `(ky·k + kx)·C_in + c` matches the kernel's HWIO order; column
    /// `(b·H_out + oy)·W_out + ox` is one output position of the batch.
    fileprivate struct Geometry {
        let height, width, outHeight, outWidth, padTop, padLeft: Int

        init(height: Int, width: Int, kernel: Int, stride: Int) {
            self.height = height
            self.width = width
            outHeight = (height + stride - 1) / stride
            outWidth = (width + stride - 1) / stride
            padTop = max((outHeight - 1) * stride + kernel - height, 0) / 2
            padLeft = max((outWidth - 1) * stride + kernel - width, 0) / 2
        }

        /// The output columns `lo..<hi` whose tap `kx` lands inside the input row; the rest read padding.
        private func validColumns(kx: Int, stride: Int) -> (lo: Int, hi: Int) {
            let before = padLeft - kx
            let last = width - 1 - kx + padLeft
            let hi = last < 0 ? 0 : min(outWidth, last / stride + 1)
            let lo = before > 0 ? (before + stride - 1) / stride : 0
            return (min(lo, hi), hi)
        }

        /// im2col of `batch` images starting at `x` into the columns starting at `cols`, whose
        /// rows are `rowStride` apart: writes every column row, padding included, so the buffer
        /// needs no clearing. Loops run per input plane so that its k² taps read it while it is
        /// still in cache.
        func unfold(_ x: UnsafePointer<Float>, batch: Int, channels: Int, kernel k: Int, stride s: Int,
                    into cols: UnsafeMutablePointer<Float>, rowStride n: Int) {
            let outPlane = outHeight * outWidth
            let inPlane = height * width
            for c in 0..<channels {
                for b in 0..<batch {
                    let src = x + (b * channels + c) * inPlane
                    for ky in 0..<k {
                        for kx in 0..<k {
                            let (lo, hi) = validColumns(kx: kx, stride: s)
                            var dst = cols + ((ky * k + kx) * channels + c) * n + b * outPlane
                            for oy in 0..<outHeight {
                                let iy = oy * s + ky - padTop
                                if iy < 0 || iy >= height {
                                    dst.update(repeating: 0, count: outWidth)
                                } else {
                                    let base = iy * width + kx - padLeft
                                    for ox in 0..<lo { dst[ox] = 0 }
                                    if s == 1 {
                                        for ox in lo..<hi { dst[ox] = src[base + ox] }
                                    } else if s == 2 {
                                        Self.gatherEven(src + base, into: dst, lo, hi)
                                    } else {
                                        for ox in lo..<hi { dst[ox] = src[base + ox * s] }
                                    }
                                    for ox in hi..<outWidth { dst[ox] = 0 }
                                }
                                dst += outWidth
                            }
                        }
                    }
                }
            }
        }

        /// dst[ox] = src[2·ox] for ox in lo..<hi, four at a time from eight loaded values (the
        /// stride-2 taps; a scalar loop here was a third of a stride-2 convolution's time).
        @inline(__always)
        private static func gatherEven(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ lo: Int, _ hi: Int) {
            var ox = lo
            // ox + 4 < hi keeps the odd value after the last even one inside the row.
            while ox + 4 < hi {
                let v = UnsafeRawPointer(src + 2 * ox).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(dst + ox).storeBytes(of: v.evenHalf, as: SIMD4<Float>.self)
                ox += 4
            }
            while ox < hi { dst[ox] = src[2 * ox]; ox += 1 }
        }

        /// col2im of the columns at `cols` (rows `rowStride` apart) for `batch` images starting
        /// at `dx`: adds each column entry back onto the input position it was read from
        /// (`dx` must start at zero); padding taps are dropped. Like `unfold`, one input plane
        /// at a time, so its k² accumulations hit cache.
        func fold(_ cols: UnsafePointer<Float>, batch: Int, channels: Int, kernel k: Int, stride s: Int,
                  rowStride n: Int, into dx: UnsafeMutablePointer<Float>) {
            let outPlane = outHeight * outWidth
            let inPlane = height * width
            for c in 0..<channels {
                for b in 0..<batch {
                    let dst = dx + (b * channels + c) * inPlane
                    for ky in 0..<k {
                        for kx in 0..<k {
                            let (lo, hi) = validColumns(kx: kx, stride: s)
                            var src = cols + ((ky * k + kx) * channels + c) * n + b * outPlane
                            for oy in 0..<outHeight {
                                let iy = oy * s + ky - padTop
                                if iy >= 0 && iy < height {
                                    let base = iy * width + kx - padLeft
                                    if s == 1 {
                                        for ox in lo..<hi { dst[base + ox] += src[ox] }
                                    } else {
                                        for ox in lo..<hi { dst[base + ox * s] += src[ox] }
                                    }
                                }
                                src += outWidth
                            }
                        }
                    }
                }
            }
        }
    }
}
