import EBMCore
import EBMEnvironments
import Foundation
import Testing

@Suite("Reacher")
struct ReacherTests {
    let dynamics = ReacherDynamics()

    /// The textbook mass matrix Σ_b (m_b J_bᵀJ_b + I_b ω-Jacobianᵀω-Jacobian) + armature·I,
    /// built from each body's centre-of-mass Jacobian rather than from the composite-body
    /// constants the implementation uses.
    func textbookMassMatrix(q1: Double, q2: Double, _ p: ReacherParameters) -> [[Double]] {
        // (mass, own inertia, distance along its link, on link 2?)
        let bodies: [(Double, Double, Double, Bool)] = [
            (p.linkMass, p.linkInertia, p.linkCenterOfMass, false),
            (p.linkMass, p.linkInertia, p.linkCenterOfMass, true),
            (p.fingertipMass, p.fingertipInertia, p.fingertipOffset, true),
        ]
        var m = [[p.armature, 0], [0, p.armature]]
        for (mass, inertia, r, distal) in bodies {
            // Columns ∂x/∂q1, ∂x/∂q2 of the body's centre and its angular-velocity row.
            let jacobian: [[Double]]
            let angular: [Double]
            if distal {
                let a = q1 + q2
                jacobian = [[-p.linkLength * sin(q1) - r * sin(a), -r * sin(a)],
                            [p.linkLength * cos(q1) + r * cos(a), r * cos(a)]]
                angular = [1, 1]
            } else {
                jacobian = [[-r * sin(q1), 0], [r * cos(q1), 0]]
                angular = [1, 0]
            }
            for i in 0..<2 {
                for j in 0..<2 {
                    m[i][j] += mass * (jacobian[0][i] * jacobian[0][j] + jacobian[1][i] * jacobian[1][j])
                        + inertia * angular[i] * angular[j]
                }
            }
        }
        return m
    }

    @Test func massMatrixIsTheTwoLinkFormulaAndPositiveDefinite() {
        var rng = RNG(seed: 21)
        for _ in 0..<200 {
            let q = SIMD2(rng.uniformDouble(-4, 4), rng.uniformDouble(-3, 3))
            let expected = textbookMassMatrix(q1: q.x, q2: q.y, dynamics.parameters)
            let m = dynamics.massMatrix(elbow: q.y)
            #expect(abs(m.m11 - expected[0][0]) < 1e-13)
            #expect(abs(m.m12 - expected[0][1]) < 1e-13 && abs(m.m12 - expected[1][0]) < 1e-13)
            #expect(abs(m.m22 - expected[1][1]) < 1e-13)
            #expect(m.m11 > 0 && m.m11 * m.m22 - m.m12 * m.m12 > 0)

            // The matrix the simulator actually inverts, recovered from its response to unit
            // torques at rest: symmetric and equal to the formula.
            let rest = SIMD4(q.x, q.y, 0, 0)
            let c1 = dynamics.acceleration(of: rest, torque: SIMD2(1, 0))
            let c2 = dynamics.acceleration(of: rest, torque: SIMD2(0, 1))
            let det = c1.x * c2.y - c2.x * c1.y
            let recovered = [[c2.y / det, -c2.x / det], [-c1.y / det, c1.x / det]]
            #expect(abs(recovered[0][1] - recovered[1][0]) < 1e-12)
            for i in 0..<2 { for j in 0..<2 { #expect(abs(recovered[i][j] - expected[i][j]) < 1e-12) } }
        }
    }

    @Test func kineticEnergyNeverIncreasesWithoutTorque() {
        let env = Reacher()
        var rng = RNG(seed: 22)
        var hitLimit = false
        for _ in 0..<50 {
            var s = SIMD4(rng.uniformDouble(-3, 3), rng.uniformDouble(-2.9, 2.9),
                          rng.uniformDouble(-30, 30), rng.uniformDouble(-30, 30))
            var energy = dynamics.kineticEnergy(of: s)
            for _ in 0..<100 {
                s = env.next(s, .zero)
                let now = dynamics.kineticEnergy(of: s)
                #expect(now <= energy * (1 + 1e-12))
                energy = now
                if abs(s[1]) == 3 { hitLimit = true }
            }
        }
        #expect(hitLimit)  // the limit's velocity projection was exercised too
    }

    @Test func energyIsConservedWithoutDamping() {
        var parameters = ReacherParameters()
        parameters.damping = 0
        let env = Reacher(parameters: parameters)
        var s = SIMD4(0.3, -0.5, 3, 2)
        let initial = env.dynamics.kineticEnergy(of: s)
        var elbowRange = (s[1], s[1])
        for _ in 0..<50 {  // 50 control periods of 0.02 s = 1 s
            s = env.next(s, .zero)
            #expect(abs(env.dynamics.kineticEnergy(of: s) - initial) < 1e-6)
            elbowRange = (min(elbowRange.0, s[1]), max(elbowRange.1, s[1]))
        }
        #expect(elbowRange.1 - elbowRange.0 > 1)  // the configuration-dependent terms mattered
        // With damping the same motion loses energy.
        #expect(dynamics.kineticEnergy(of: Reacher().next(SIMD4(0.3, -0.5, 3, 2), .zero)) < initial * 0.99)
    }

    @Test func rk4ErrorFallsSixteenfoldWhenTheStepHalves() {
        let start = SIMD4(0.2, 0.4, 6, -8)
        let torque = SIMD2(3.0, -2.0)
        let duration = 0.4
        func integrate(step h: Double) -> SIMD4<Double> {
            var s = start
            for _ in 0..<Int((duration / h).rounded()) { s = dynamics.integrate(s, torque: torque, over: h) }
            return s
        }
        func error(_ s: SIMD4<Double>, _ reference: SIMD4<Double>) -> Double {
            let d = s - reference
            return (d * d).sum().squareRoot()
        }
        let reference = integrate(step: 0.0005)
        let coarse = error(integrate(step: 0.01), reference)
        let fine = error(integrate(step: 0.005), reference)
        let ratio = coarse / fine
        #expect(ratio > 13 && ratio < 19, "error ratio \(ratio) (errors \(coarse), \(fine))")
    }

    @Test func fingertipKinematics() {
        let env = Reacher()
        func tip(_ q1: Double, _ q2: Double) -> SIMD2<Double> { env.goalPoint(of: SIMD4(q1, q2, 0, 0)) }
        func close(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Bool { abs(a.x - b.x) < 1e-15 && abs(a.y - b.y) < 1e-15 }
        #expect(close(tip(0, 0), SIMD2(0.21, 0)))
        #expect(close(tip(.pi / 2, 0), SIMD2(0, 0.21)))
        #expect(close(tip(0, .pi / 2), SIMD2(0.1, 0.11)))
        #expect(close(tip(.pi, -.pi / 2), SIMD2(-0.1, 0.11)))
        var rng = RNG(seed: 23)
        for _ in 0..<100 {
            let q1 = rng.uniformDouble(-7, 7), q2 = rng.uniformDouble(-3, 3)
            let expected = SIMD2(0.1 * cos(q1) + 0.11 * cos(q1 + q2), 0.1 * sin(q1) + 0.11 * sin(q1 + q2))
            #expect(close(tip(q1, q2), expected))
            let geometry = env.geometry(at: SIMD4(q1, q2, 0, 0))
            #expect(geometry.agent == tip(q1, q2) && geometry.links.count == 2)
            #expect(geometry.links[0].to == geometry.links[1].from && geometry.links[1].to == tip(q1, q2))
            #expect(geometry.joints.count == 2 && geometry.joints[0] == .zero)
        }
    }

    @Test func elbowStaysWithinThreeRadiansUnderMaximumTorque() {
        let env = Reacher()
        var extreme = 0.0
        for sign in [1.0, -1.0] {
            var s = SIMD4<Double>.zero
            for t in 0..<500 {
                // Bang-bang on the shoulder keeps the elbow loaded from changing directions.
                s = env.next(s, SIMD2(t % 20 < 10 ? 1 : -1, sign))
                #expect(abs(s[1]) <= 3)
                extreme = max(extreme, abs(s[1]))
            }
        }
        #expect(extreme == 3)
    }

    @Test func theElbowStopKeepsTheShouldersMomentumAndRemovesEnergy() {
        // Without damping or torque q1 is a cyclic coordinate: p1 = M11·q̇1 + M12·q̇2 is conserved,
        // and a stop that acts on the elbow alone must conserve it through the impact too.
        var parameters = ReacherParameters()
        parameters.damping = 0
        let env = Reacher(parameters: parameters)
        func momentum(_ s: SIMD4<Double>) -> Double {
            let m = env.dynamics.massMatrix(elbow: s[1])
            return m.m11 * s[2] + m.m12 * s[3]
        }
        var s = SIMD4(0.0, 2.8, -50, 20)
        let initial = momentum(s)
        let energy = env.dynamics.kineticEnergy(of: s)
        var stopped = false
        for _ in 0..<5 {
            s = env.next(s, .zero)
            if s[1] == 3 { stopped = true }
            #expect(abs(momentum(s) - initial) < 1e-9 * abs(initial))
        }
        #expect(stopped)
        #expect(env.dynamics.kineticEnergy(of: s) < energy - 100)  // the elbow's motion was absorbed
    }

    @Test func sameSeedGivesTheSameTrajectoryBytes() throws {
        func trajectory(seed: UInt64) throws -> [UInt8] {
            var env = Reacher()
            try env.reset(seed: seed)
            var rng = RNG(seed: seed, stream: 9)
            var states = [env.state]
            while true {
                let result = try env.step(SIMD2(rng.uniformDouble(-1, 1), rng.uniformDouble(-1, 1)))
                states.append(result.state)
                if result.done { break }
            }
            return states.withUnsafeBytes { Array($0) } + withUnsafeBytes(of: env.goal) { Array($0) }
        }
        let first = try trajectory(seed: 42)
        #expect(first.count == 51 * 32 + 16)
        #expect(try first == trajectory(seed: 42))
        #expect(try first != trajectory(seed: 43))
    }

    @Test func resetFollowsTheSpecifiedDistribution() throws {
        var env = Reacher()
        var inner = 0
        var goalSum = SIMD2<Double>.zero
        let count = 4_000
        for seed in 0..<count {
            let s = try env.reset(seed: UInt64(seed))
            #expect(abs(s[0]) <= 0.1 && abs(s[1]) <= 0.1 && abs(s[2]) <= 0.005 && abs(s[3]) <= 0.005)
            let r = (env.goal * env.goal).sum().squareRoot()
            #expect(r < 0.2)
            if r < 0.2 / 2.0.squareRoot() { inner += 1 }
            goalSum += env.goal
        }
        // Uniform in the disk: half the goals lie within radius 0.2/√2.
        #expect(abs(Double(inner) / Double(count) - 0.5) < 0.03)
        #expect(abs(goalSum.x / Double(count)) < 0.006 && abs(goalSum.y / Double(count)) < 0.006)
    }

    @Test func rewardSuccessAndTimeLimitFollowReacherV5() throws {
        var env = Reacher()
        let start = SIMD4<Double>(0.05, -0.05, 0, 0)
        let atRest = env.goalPoint(of: start)
        try env.reset(seed: 0, start: start, goal: atRest)
        #expect(env.successRule == SuccessRule(norm: .l2, tolerance: 0.02, endsEpisode: false))
        var result = try env.step(SIMD2(2, 0))  // clipped to (1, 0): control cost 1
        let distance = ((env.goalPoint(of: env.state) - atRest) * (env.goalPoint(of: env.state) - atRest)).sum().squareRoot()
        #expect(abs(result.reward - (-distance - 1)) < 1e-12)
        #expect(abs(result.info.distance - distance) < 1e-15)
        for _ in 2...50 {
            #expect(!result.done)
            result = try env.step(.zero)
        }
        #expect(result.truncated && !result.terminated && env.steps == 50)
        // One full-torque step sent the arm swinging away from the goal for good.
        #expect(!result.info.success && result.info.distance > 0.02)

        try env.reset(seed: 0, start: start, goal: atRest)
        for _ in 0..<50 { result = try env.step(.zero) }
        #expect(result.info.success && result.truncated)
    }
}
