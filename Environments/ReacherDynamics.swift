import Foundation

/// Equations of motion of the planar 2-link arm, integrated with classic RK4.
///
/// State s = (q1, q2, q̇1, q̇2): q1 the shoulder angle from the x axis, q2 the elbow angle
/// relative to link 1. M(q)q̈ + c(q, q̇) + d·q̇ = τ, where link 2 and the fingertip form one
/// rigid body about the elbow with mass m₂, first moment h₂ and second moment J₂:
///
///     M11 = J₁ + J₂ + m₂l₁² + 2l₁h₂cos q2 + armature
///     M12 = J₂ + l₁h₂cos q2
///     M22 = J₂ + armature
///     c   = l₁h₂ sin q2 · (−(2q̇1q̇2 + q̇2²), q̇1²)
///
/// with J₁ = I + m·c² for link 1 about the shoulder. The type is a value with no mutable state,
/// so any number of threads can step with one instance.
public struct ReacherDynamics: Sendable {
    public let parameters: ReacherParameters
    /// M11 without its cos q2 term.
    private let shoulderInertia: Double
    /// J₂: link 2 and fingertip about the elbow.
    private let elbowInertia: Double
    /// l₁h₂, the coefficient of every configuration-dependent term.
    private let coupling: Double

    public init(parameters: ReacherParameters = ReacherParameters()) {
        self.parameters = parameters
        let p = parameters
        let linkAboutJoint = p.linkInertia + p.linkMass * p.linkCenterOfMass * p.linkCenterOfMass
        let distalMass = p.linkMass + p.fingertipMass
        let distalMoment = p.linkMass * p.linkCenterOfMass + p.fingertipMass * p.fingertipOffset
        elbowInertia = linkAboutJoint + p.fingertipInertia + p.fingertipMass * p.fingertipOffset * p.fingertipOffset
        shoulderInertia = linkAboutJoint + elbowInertia + distalMass * p.linkLength * p.linkLength + p.armature
        coupling = p.linkLength * distalMoment
    }

    /// A symmetric 2 × 2 matrix.
    public struct MassMatrix: Sendable, Equatable {
        public var m11: Double
        public var m12: Double
        public var m22: Double

        public init(m11: Double, m12: Double, m22: Double) {
            self.m11 = m11
            self.m12 = m12
            self.m22 = m22
        }
    }

    /// M(q), which depends on the elbow angle only; armature included on the diagonal.
    public func massMatrix(elbow q2: Double) -> MassMatrix {
        massMatrix(cosElbow: cos(q2))
    }

    @inline(__always)
    private func massMatrix(cosElbow c: Double) -> MassMatrix {
        MassMatrix(m11: shoulderInertia + 2 * coupling * c, m12: elbowInertia + coupling * c,
                   m22: elbowInertia + parameters.armature)
    }

    /// q̈ = M⁻¹(τ − c − d·q̇).
    @inline(__always)
    public func acceleration(of s: SIMD4<Double>, torque: SIMD2<Double>) -> SIMD2<Double> {
        let sinElbow = sin(s[1]), cosElbow = cos(s[1])
        let m = massMatrix(cosElbow: cosElbow)
        let v = SIMD2(s[2], s[3])
        let k = coupling * sinElbow
        let bias = SIMD2(-k * (2 * v.x * v.y + v.y * v.y), k * v.x * v.x)
        let r = torque - bias - parameters.damping * v
        let det = m.m11 * m.m22 - m.m12 * m.m12
        return SIMD2(m.m22 * r.x - m.m12 * r.y, m.m11 * r.y - m.m12 * r.x) / det
    }

    /// ½ q̇ᵀM(q)q̇, the arm's total energy (no gravity, no springs), armature included.
    public func kineticEnergy(of s: SIMD4<Double>) -> Double {
        let m = massMatrix(elbow: s[1])
        return 0.5 * (m.m11 * s[2] * s[2] + 2 * m.m12 * s[2] * s[3] + m.m22 * s[3] * s[3])
    }

    /// The elbow's position for joint angles (q1, q2).
    public func elbow(of q: SIMD2<Double>) -> SIMD2<Double> {
        parameters.linkLength * SIMD2(cos(q.x), sin(q.x))
    }

    /// The fingertip's position: (l₁cos q1 + 0.11·cos(q1+q2), l₁sin q1 + 0.11·sin(q1+q2)).
    @inline(__always)
    public func fingertip(of q: SIMD2<Double>) -> SIMD2<Double> {
        let distal = q.x + q.y
        return parameters.linkLength * SIMD2(cos(q.x), sin(q.x))
            + parameters.fingertipOffset * SIMD2(cos(distal), sin(distal))
    }

    /// One control period: τ = gear·clip(u, −1, 1) held over `substeps` RK4 steps of `timestep`,
    /// the elbow limit enforced after each.
    @inline(__always)
    public func step(_ state: SIMD4<Double>, control u: SIMD2<Double>) -> SIMD4<Double> {
        let torque = parameters.gear * u.clamped(lowerBound: SIMD2(repeating: -1), upperBound: SIMD2(repeating: 1))
        var s = state
        for _ in 0..<parameters.substeps {
            s = integrate(s, torque: torque, over: parameters.timestep)
            s = limitingElbow(s)
        }
        return s
    }

    /// One classic RK4 step of length `h` with constant torque.
    @inline(__always)
    public func integrate(_ s: SIMD4<Double>, torque: SIMD2<Double>, over h: Double) -> SIMD4<Double> {
        @inline(__always) func derivative(_ x: SIMD4<Double>) -> SIMD4<Double> {
            let a = acceleration(of: x, torque: torque)
            return SIMD4(x[2], x[3], a.x, a.y)
        }
        let k1 = derivative(s)
        let k2 = derivative(s + (h / 2) * k1)
        let k3 = derivative(s + (h / 2) * k2)
        let k4 = derivative(s + h * k3)
        return s + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
    }

    /// The elbow limit as a hard, perfectly inelastic stop rather than MuJoCo's soft constraint:
    /// a stiff penalty would need a much smaller step to stay stable, while a clamp keeps
    /// |q2| ≤ limit exactly. Past the limit, q2 is put back on it and, if still moving outwards,
    /// q̇2 is cancelled. The stop acts on the elbow alone, so the shoulder's generalised momentum
    /// p1 = M11·q̇1 + M12·q̇2 is kept and q̇1 becomes p1/M11 — zeroing q̇2 alone would change p1.
    /// It adds no kinetic energy for overshoots up to 2π − 6 ≈ 0.28 rad (|q̇2| below about 28 rad/s
    /// per 0.01 s step): for a given p1 the energy is at least p1²/(2·M11), and over that range
    /// M11 grows as q2 moves back to ±3 (cos q2 rises there).
    @inline(__always)
    private func limitingElbow(_ s: SIMD4<Double>) -> SIMD4<Double> {
        let limit = parameters.elbowLimit
        guard abs(s[1]) > limit else { return s }
        let before = massMatrix(elbow: s[1])
        let shoulderMomentum = before.m11 * s[2] + before.m12 * s[3]
        var out = s
        out[1] = s[1] > 0 ? limit : -limit
        if s[3] * out[1] > 0 { out[3] = 0 }
        let after = massMatrix(elbow: out[1])
        out[2] = (shoulderMomentum - after.m12 * out[3]) / after.m11
        return out
    }
}
