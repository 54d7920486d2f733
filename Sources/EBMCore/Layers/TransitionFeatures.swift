import Foundation

/// How a state transition (s_t, s_t+1) is presented to a transition energy.
///
/// Angles enter as (cos, sin) so wrap-around is seamless; other coordinates are shifted and
/// scaled to roughly unit range; the step s_t+1 − s_t (angles wrapped to (−π, π]) is scaled by
/// `deltaScale` so that one control step spans about one unit — the energy then sees the
/// dynamics' reach directly instead of as a small difference of large inputs. The spec is
/// part of the model config, so a checkpoint carries its own state scaling.
public struct TransitionFeatureSpec: Codable, Equatable, Sendable {
    /// Components of one state.
    public var stateDimension: Int
    /// Indices of angle coordinates.
    public var angles: [Int]
    /// Per-coordinate offset and scale for non-angle coordinates of s_t.
    public var offset: [Float]
    public var scale: [Float]
    /// Per-coordinate scale of the step s_t+1 − s_t.
    public var deltaScale: [Float]

    public init(stateDimension: Int, angles: [Int] = [], offset: [Float]? = nil, scale: [Float]? = nil, deltaScale: [Float]) {
        self.stateDimension = stateDimension
        self.angles = angles
        self.offset = offset ?? [Float](repeating: 0, count: stateDimension)
        self.scale = scale ?? [Float](repeating: 1, count: stateDimension)
        self.deltaScale = deltaScale
    }

    /// Features per transition: (cos, sin) per angle, one value per other coordinate, and the
    /// scaled step.
    public var featureCount: Int { 2 * stateDimension + angles.count }

    /// The reason this spec cannot work, or nil.
    public var problem: String? {
        let d = stateDimension
        if d <= 0 { return "state dimension \(d) must be positive" }
        if offset.count != d || scale.count != d || deltaScale.count != d {
            return "offset, scale and deltaScale need \(d) values each"
        }
        if angles.contains(where: { $0 < 0 || $0 >= d }) || Set(angles).count != angles.count {
            return "angle indices \(angles) must be distinct and below \(d)"
        }
        if !(offset + scale + deltaScale).allSatisfy(\.isFinite) { return "scales must be finite" }
        return nil
    }
}

/// The non-parametric first layer of a transition energy: rows [s_t, s_t+1] (2·D values) to
/// the features of `TransitionFeatureSpec`, with the exact gradient back to both states.
public final class TransitionFeatures: Layer {
    public let spec: TransitionFeatureSpec
    private let isAngle: [Bool]
    private var input = Tensor(zeros: [0])

    public init(_ spec: TransitionFeatureSpec) {
        precondition(spec.problem == nil, "invalid transition features: \(spec.problem!)")
        self.spec = spec
        var flags = [Bool](repeating: false, count: spec.stateDimension)
        for i in spec.angles { flags[i] = true }
        isAngle = flags
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { [spec.featureCount] }

    /// Wraps an angle difference to (−π, π].
    @inline(__always)
    static func wrap(_ a: Float) -> Float {
        let twoPi = 2 * Float.pi
        var w = a - twoPi * (a / twoPi).rounded()
        if w <= -Float.pi { w += twoPi }
        return w
    }

    public func forward(_ x: Tensor, labels: Tensor?) -> Tensor {
        let d = spec.stateDimension, f = spec.featureCount, batch = x.rows
        precondition(x.rowWidth == 2 * d, "transition features expect rows of \(2 * d), got \(x.rowWidth)")
        input = x
        var out = Tensor(zeros: [batch, f])
        x.scalars.withUnsafeBufferPointer { xs in
            out.scalars.withUnsafeMutableBufferPointer { o in
                for r in 0..<batch {
                    let s = r * 2 * d
                    var k = r * f
                    for i in 0..<d {
                        let v = xs[s + i]
                        if isAngle[i] {
                            let (sin, cos) = sinCos(v)
                            o[k] = cos; o[k + 1] = sin; k += 2
                        } else {
                            o[k] = (v - spec.offset[i]) * spec.scale[i]; k += 1
                        }
                    }
                    for i in 0..<d {
                        var delta = xs[s + d + i] - xs[s + i]
                        if isAngle[i] { delta = Self.wrap(delta) }
                        o[k] = delta * spec.deltaScale[i]; k += 1
                    }
                }
            }
        }
        return out
    }

    public func backward(_ g: Tensor, _ request: GradientRequest) -> Tensor {
        guard request.contains(.inputs) else { return Tensor(zeros: [0]) }
        let d = spec.stateDimension, f = spec.featureCount, batch = input.rows
        var dx = Tensor(zeros: input.shape)
        input.scalars.withUnsafeBufferPointer { xs in
            g.scalars.withUnsafeBufferPointer { gs in
                dx.scalars.withUnsafeMutableBufferPointer { o in
                    for r in 0..<batch {
                        let s = r * 2 * d
                        var k = r * f
                        for i in 0..<d {
                            let v = xs[s + i]
                            if isAngle[i] {
                                let (sin, cos) = sinCos(v)
                                o[s + i] += -sin * gs[k] + cos * gs[k + 1]; k += 2
                            } else {
                                o[s + i] += spec.scale[i] * gs[k]; k += 1
                            }
                        }
                        for i in 0..<d {
                            let gd = gs[k] * spec.deltaScale[i]; k += 1
                            o[s + i] -= gd
                            o[s + d + i] += gd
                        }
                    }
                }
            }
        }
        return dx
    }
}
