import COpenBLAS
import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation

/// `ebm-bench`: the scenarios of `../shared/bench/peer_planner.py` with the same network and
/// the same math, plus environment throughput, one MPC control step and the BLAS ceiling.
/// Prints one JSON line per scenario, `{"scen": …, "seconds": …}`, the median of 5 timed runs
/// after a warm-up (SPEC §11).
///
///     ebm-bench [--only NAME[,NAME…]] [--workers N] [--repetitions N]
///
/// `--workers 2` lets every matrix product split its rows (chains, samples) over two cores
/// (`BLAS.kernelThreads`, the two-core table); run with `OPENBLAS_NUM_THREADS=1` either way.
/// `--repetitions` changes the 5 timed runs (more for profiling).
@main
enum EBMBench {
    static func main() throws {
        var only: Set<String>?
        var workers = 1
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--only":
                guard let list = arguments.next() else { fail("--only needs a comma-separated list of scenarios") }
                only = Set(list.split(separator: ",").map(String.init))
            case "--workers":
                guard let text = arguments.next(), let n = Int(text), n >= 1 else { fail("--workers needs a positive integer") }
                workers = n
            case "--repetitions":
                guard let text = arguments.next(), let n = Int(text), n >= 1 else { fail("--repetitions needs a positive integer") }
                repetitions = n
            case "-h", "--help":
                print("usage: ebm-bench [--only NAME[,NAME…]] [--workers N] [--repetitions N]\nscenarios: \(Scenario.all.map(\.name).joined(separator: " "))")
                return
            default:
                fail("unknown argument \(argument) (see --help)")
            }
        }
        if let only, let unknown = only.first(where: { name in !Scenario.all.contains { $0.name == name } }) {
            fail("unknown scenario \(unknown); known: \(Scenario.all.map(\.name).joined(separator: " "))")
        }
        BLAS.kernelThreads = workers
        for scenario in Scenario.all where only?.contains(scenario.name) ?? true {
            var record = try scenario.run()
            record["scen"] = scenario.name
            record["workers"] = workers
            let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            fflush(stdout)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("ebm-bench: \(message)\n".utf8))
        exit(2)
    }
}

/// One benchmark: a name and a body returning its JSON fields (at least `seconds`).
struct Scenario {
    let name: String
    let run: () throws -> [String: Any]

    static let all: [Scenario] = [
        Scenario(name: "plan_B1_T20_K80") { PlanBench(chains: 1).record() },
        Scenario(name: "plan_B64_T20_K80") { PlanBench(chains: 64).record() },
        Scenario(name: "cd_train_N256_K20") { CDBench().record() },
        Scenario(name: "image_langevin_B64_K10") { ImageBench().record() },
        Scenario(name: "reacher_env_steps") { reacherSteps() },
        Scenario(name: "mpc_step_reacher") { try mpcStep() },
        Scenario(name: "gflops_sgemm_512") { sgemm512() },
    ]
}

/// Timed runs per scenario (`--repetitions`).
nonisolated(unsafe) var repetitions = 5

/// Median wall-clock seconds of `repetitions` calls of `body` after one warm-up call.
func medianSeconds(_ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}

/// The peers' transition energy: an MLP on raw rows [s_t, s_t+1] (no feature layer),
/// three hidden layers of 128 with LeakyReLU(0.2) and a linear scalar head.
func peerEnergy(stateDimension d: Int, seed: UInt64) -> Network {
    Network(NetworkConfig(inputShape: [2 * d], layers: .mlpEnergy(hidden: [128, 128, 128], activation: .leakyReLU)), seed: seed)
}

/// The proper-mode temperature whose noise √(2εT) equals `noise` at step size ε.
func temperature(noise: Float, step: Float) -> Float { noise * noise / (2 * step) }

/// `plan_B{B}_T20_K80`: Langevin over B plans of 21 states (D = 2), start clamped, cost
/// Σ E + 0.1·Σ‖Δs‖² + 0.01·Σ‖Δ²s‖² + 1.0·Σ‖s_t − 0.5‖², ε = 0.01, noise √(2ε)·0.01·ξ.
///
/// The goal term is `GoalCost` with power 0 (weight 1 on every state after the start); the
/// peers also count the clamped start, a constant that changes no gradient.
struct PlanBench {
    let chains: Int
    let horizon = 20, iterations = 80, d = 2

    func record() -> [String: Any] {
        let shape = PlanShape(chains: chains, horizon: horizon, stateDimension: d)
        let network = peerEnergy(stateDimension: d, seed: 0)
        let cost = CompositeCost([
            TransitionEnergyCost(network: network),
            SmoothnessCost(velocityWeight: 0.1, accelerationWeight: 0.01),
            GoalCost(goal: SIMD2(0.5, 0.5), weight: 1, power: 0, map: .coordinates(x: 0, y: 1)),
        ])
        let objective = PlanObjective(cost: cost, shape: shape)
        let step: Float = 0.01
        let sampler = LangevinSampler(steps: iterations, stepSize: .constant(step),
                                      mode: .proper(temperature: .constant(temperature(noise: (2 * step).squareRoot() * 0.01, step: step))))
        let mask = [Bool](repeating: false, count: d) + [Bool](repeating: true, count: horizon * d)
        var rng = RNG(seed: 0)
        var finalCost: Float = 0
        let seconds = medianSeconds {
            var plans = Tensor(zeros: [chains, shape.planWidth])
            sampler.run(&plans, energy: objective, mask: mask, rng: &rng)
            finalCost = objective.energies(of: plans).reduce(0, +) / Float(chains)
        }
        // Forward and input-gradient MACs of the MLP per transition, times 2 FLOPs per MAC.
        let macs = 2 * (2 * d * 128 + 2 * 128 * 128 + 128)
        let flops = Double(2 * macs * chains * horizon * iterations)
        return ["seconds": seconds, "gflops": flops / seconds / 1e9, "mean_final_cost": Double(finalCost)]
    }
}

/// `cd_train_N256_K20`: one contrastive-divergence step of the peer MLP: 256 positives
/// uniform in [−1, 1]⁴, negatives s_t+1 = s_t + 0.05ξ refined by 20 Langevin steps on s_t+1
/// (ε = 0.01, noise 0.005), then Adam (lr 1e-3, β = (0, 0.999)) on the CD loss with α = 1.
struct CDBench {
    let n = 256, steps = 20, d = 2

    func record() -> [String: Any] {
        let network = peerEnergy(stateDimension: d, seed: 0)
        var rng = RNG(seed: 1)
        let positives = Tensor(shape: [n, 2 * d], scalars: (0..<(n * 2 * d)).map { _ in rng.uniform(-1, 1) })
        let step: Float = 0.01
        let sampler = LangevinSampler(steps: steps, stepSize: .constant(step),
                                      mode: .proper(temperature: .constant(temperature(noise: 0.005, step: step))))
        let d = d
        var trainer = ContrastiveDivergence(
            network: network, optimizer: Adam(learningRate: 1e-3, beta1: 0, beta2: 0.999), sampler: sampler,
            replay: nil, mask: [Bool](repeating: false, count: d) + [Bool](repeating: true, count: d),
            freshNegatives: { positives, rng in
                var x = positives
                for r in 0..<x.rows { for i in 0..<d { x.scalars[r * 2 * d + d + i] = x.scalars[r * 2 * d + i] + 0.05 * rng.gaussian() } }
                return x
            })
        var loss: Float = 0
        let seconds = medianSeconds {
            // The loss of a fresh random network stays finite; a throw here is a bug worth crashing on.
            loss = try! trainer.step(positives: positives, rng: &rng).loss
        }
        return ["seconds": seconds, "loss": Double(loss)]
    }
}

/// `image_langevin_B64_K10`: 10 IGEBM-mode Langevin steps (x ← clamp(x + 0.005ξ −
/// 10·clip(∇E, ±0.01), 0, 1)) on 64 uniform 1×32×32 images under the peers' conv energy:
/// conv3×3 1→32 (stride 1), 32→64, 64→128, 128→128 (stride 2), swish after each, global
/// sum-pool, linear 128→1.
///
/// Our convolution pads TensorFlow-SAME: at stride 2 on even sizes that is one row/column
/// after the image instead of PyTorch's one before and one after. Same output sizes and the
/// same multiply-adds, so the same cost.
struct ImageBench {
    let batch = 64, steps = 10

    func record() -> [String: Any] {
        let config = NetworkConfig(inputShape: [1, 32, 32],
                                   layers: .convEnergy(channels: [32, 64, 128, 128], strides: [1, 2, 2, 2], activation: .swish, spectralNorm: false))
        let network = Network(config, seed: 0)
        var rng = RNG(seed: 2)
        let start = Tensor(shape: [batch, 1, 32, 32], scalars: (0..<(batch * 32 * 32)).map { _ in rng.uniform() })
        let sampler = LangevinSampler(steps: steps, stepSize: .constant(10), mode: .igebm(noise: 0.005, gradientClip: 0.01, bounds: 0...1))
        let energy = network.conditioned(on: nil)
        let seconds = medianSeconds {
            var x = start
            sampler.run(&x, energy: energy, rng: &rng)
        }
        return ["seconds": seconds]
    }
}

/// `reacher_env_steps`: random-action reacher control steps (episodes back to back).
func reacherSteps() -> [String: Any] {
    let count = 2_000_000
    var checksum = 0.0
    let seconds = medianSeconds { checksum = Reacher.benchmarkSteps(count: count, seed: 0) }
    return ["seconds": seconds, "steps_per_second": Double(count) / seconds, "checksum": checksum]
}

/// `mpc_step_reacher`: one warm-started control step of the reacher agent (Langevin planner
/// with the reacher preset, replanning every step) with the embedded reacher model — or, while
/// that model is not shipped, a freshly initialised network of the same configuration.
func mpcStep() throws -> [String: Any] {
    let bundle: TransitionModelBundle
    let model: String
    if let embedded = try? TransitionModelBundle.embedded(for: .reacher) {
        bundle = embedded
        model = "embedded"
    } else {
        bundle = TransitionModelBundle(configuration: .standard(for: .reacher), seed: 0)
        model = "fresh (no embedded reacher model yet)"
    }
    var environment = Reacher()
    _ = try environment.reset(seed: 0)
    var controller = try Agents.controller(for: environment, obstacles: [], planner: .langevin,
                                           models: bundle.agentModels, preset: .standard(for: .reacher))
    var rng = RNG(seed: 3)
    // The first call plans cold; every later call is a warm-started replan.
    var action = controller.action(for: environment.state.floats, rng: &rng)
    let seconds = medianSeconds {
        _ = try? environment.step(action.map(Double.init))
        if environment.steps >= environment.timeLimit { _ = try? environment.reset(seed: 1) }
        action = controller.action(for: environment.state.floats, rng: &rng)
    }
    return ["seconds": seconds, "model": model]
}

extension SIMD4<Double> {
    var floats: [Float] { (0..<4).map { Float(self[$0]) } }
}

/// `gflops_sgemm_512`: one 512³ product through `BLAS.gemm` (the package's kernel where the
/// CPU has AVX-512) and through OpenBLAS's `cblas_sgemm` directly, for context.
func sgemm512() -> [String: Any] {
    let n = 512
    var rng = RNG(seed: 4)
    let a = (0..<(n * n)).map { _ in rng.uniform(-1, 1) }
    let b = (0..<(n * n)).map { _ in rng.uniform(-1, 1) }
    var c = [Float](repeating: 0, count: n * n)
    func time(_ product: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Double {
        medianSeconds {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { product(ap.baseAddress!, bp.baseAddress!, $0.baseAddress!) }
                }
            }
        }
    }
    let seconds = time { BLAS.gemm(m: n, n: n, k: n, $0, $1, $2) }
    let openBLAS = time {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, $0, Int32(n), $1, Int32(n), 0, $2, Int32(n))
    }
    let flops = 2 * Double(n * n * n)
    return ["seconds": seconds, "gflops": flops / seconds / 1e9, "openblas_seconds": openBLAS,
            "openblas_gflops": flops / openBLAS / 1e9, "own_kernel": BLAS.usesOwnKernel]
}
