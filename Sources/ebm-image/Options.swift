import ArgumentParser
import EBMCore
import Foundation
import ImageEBM

/// A one-line command-line error.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Checks that a number from the command line is finite (ArgumentParser accepts "nan" and "inf").
func requireFinite(_ value: Float, _ flag: String) throws {
    guard value.isFinite else { throw CommandError("\(flag) must be a finite number, got \(value)") }
}

/// Parses "a,b,c" with `parse`, naming the flag and what it takes on failure.
func parseList<Value>(_ text: String, _ flag: String, of kind: String, _ parse: (String) -> Value?) throws -> [Value] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(parse)
    guard !parts.isEmpty, values.count == parts.count else {
        throw CommandError("\(flag) must be comma-separated \(kind), got \"\(text)\"")
    }
    return values
}

func parseIntegers(_ text: String, _ flag: String) throws -> [Int] { try parseList(text, flag, of: "integers") { Int($0) } }

func parseFloats(_ text: String, _ flag: String) throws -> [Float] {
    try parseList(text, flag, of: "finite numbers") { Float($0).flatMap { $0.isFinite ? $0 : nil } }
}

/// Label guidance flags of the sampling commands (`LabelGuidance`).
struct GuidanceOptions: ParsableArguments {
    @Option(help: "Label guidance weight w ≥ 0 (default 0: off); compose takes one per --model, comma-separated.")
    var guidance: String?
    @Option(help: "Rounds of the plain energy before guidance starts.")
    var unguidedRounds = 0

    /// One guidance per model, each checked against its model.
    func guidance(for models: [ImageEnergyModel]) throws -> [LabelGuidance] {
        guard unguidedRounds >= 0 && unguidedRounds <= 10_000 else {
            throw CommandError("--unguided-rounds must be in 0...10000, got \(unguidedRounds)")
        }
        guard let guidance else { return models.map { _ in .none } }
        let weights = try parseFloats(guidance, "--guidance")
        guard weights.count == models.count else {
            throw CommandError("--guidance needs one weight per model (\(models.count)), got \(weights.count)")
        }
        return try zip(weights, models).map { weight, model in
            guard weight >= 0 else { throw CommandError("--guidance weights must be non-negative, got \(weight)") }
            guard weight == 0 || model.condition != .none else {
                throw CommandError("--guidance needs a conditional model; this one is unconditional")
            }
            return LabelGuidance(weight: weight, unguidedRounds: unguidedRounds)
        }
    }
}

/// Sample-quality probes during training (`SampleProbe`).
struct ProbeOptions: ParsableArguments {
    @Option(help: "Every this many steps, sample --probe-count images from noise (--probe-rounds rounds of the training sampler) and put their quality on the training curve; the best step so far is saved next to the checkpoint as NAME.best.safetensors (0: off).")
    var probeEvery = 0
    @Option(help: "Samples per probe.")
    var probeCount = 64
    @Option(help: "Sampler rounds per probe.")
    var probeRounds = 4

    /// The probe these options ask for with `sampler`, nil when off.
    func probe(sampler: LangevinSampler) throws -> SampleProbe? {
        guard probeEvery >= 0 else { throw CommandError("--probe-every must be 0 (off) or positive, got \(probeEvery)") }
        guard (1...4096).contains(probeCount), (1...100).contains(probeRounds) else {
            throw CommandError("--probe-count must be in 1...4096 and --probe-rounds in 1...100, got \(probeCount) and \(probeRounds)")
        }
        guard probeEvery > 0 else { return nil }
        return SampleProbe(interval: probeEvery, sampling: ConditionalSampling(count: probeCount, sampler: sampler, rounds: probeRounds))
    }
}

/// The procedural data a new model is trained on.
struct DataOptions: ParsableArguments {
    @Option(help: "Image side in pixels (32 for full runs, 16 for quick ones).")
    var size = 32
    @Option(help: "Anti-aliasing sub-samples per pixel side (1 = binary images).")
    var supersampling = 4
    @Option(help: "Scale levels, evenly spaced in [0.5, 1] (dSprites: 6).")
    var scaleLevels = 6
    @Option(help: "Rotation levels over a full turn (dSprites: 40).")
    var rotationLevels = 40
    @Option(help: "Position levels per axis (dSprites: 32 at 64×64).")
    var positionLevels = 16

    func dataset() throws -> ShapeDataset {
        guard scaleLevels >= 1 && scaleLevels <= 100 else { throw CommandError("--scale-levels must be in 1...100, got \(scaleLevels)") }
        let scales = scaleLevels == 1 ? [Float(1)] : (0..<scaleLevels).map { 0.5 + 0.5 * Float($0) / Float(scaleLevels - 1) }
        let data = ShapeDataset(size: size, supersampling: supersampling, scales: scales,
                                rotationLevels: rotationLevels, positionLevels: positionLevels)
        if let problem = data.problem { throw CommandError(problem) }
        return data
    }
}

/// The conv energy of a new model.
struct ArchitectureOptions: ParsableArguments {
    @Option(help: "Output channels of each conv stage, comma-separated.")
    var channels = "32,64,64"
    @Option(help: "Which stages halve the resolution (1) or not (0), comma-separated, one per stage.")
    var downsample = "0,1,1"
    @Option(help: "How stages downsample: stride (3×3 stride-2 conv, fast) or avgPool (conv, then 2×2 average pool).")
    var pooling = "stride"
    @Option(help: "Width of the dense layer before the energy (0: global sum-pool head; position models need the dense head).")
    var dense = 128
    @Option(help: "Activation: swish or leakyReLU.")
    var activation = "swish"
    @Flag(help: "Turn spectral normalisation off.")
    var noSpectralNorm = false

    func spec(data: ShapeDataset, condition: ImageCondition) throws -> ImageModelSpec {
        guard let pool = ImageModelSpec.Downsampling(rawValue: pooling) else {
            throw CommandError("--pooling must be stride or avgPool, got \"\(pooling)\"")
        }
        guard let act = Activation(rawValue: activation) else {
            throw CommandError("--activation must be swish or leakyReLU, got \"\(activation)\"")
        }
        let flags = try parseIntegers(downsample, "--downsample")
        guard flags.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw CommandError("--downsample takes 0 or 1 per stage, got \"\(downsample)\"") }
        let spec = ImageModelSpec(data: data, condition: condition, channels: try parseIntegers(channels, "--channels"),
                                  downsample: flags.map { $0 == 1 }, downsampling: pool, activation: act,
                                  spectralNorm: !noSpectralNorm, denseWidth: dense)
        if let problem = spec.problem { throw CommandError(problem) }
        return spec
    }
}

/// The IGEBM-mode Langevin sampler (defaults: IGEBM's training sampler).
struct SamplerOptions: ParsableArguments {
    @Option(help: "Langevin steps per round (K).")
    var langevinSteps = 60
    @Option(help: "Step size λ.")
    var stepSize: Float = 10
    @Option(help: "Per-element gradient clip.")
    var clip: Float = 0.01
    @Option(help: "Noise standard deviation σ.")
    var noise: Float = 0.005

    func sampler() throws -> LangevinSampler {
        var options = ImageTrainingOptions()
        try apply(to: &options)
        return options.sampler
    }

    func apply(to options: inout ImageTrainingOptions) throws {
        for (value, flag) in [(stepSize, "--step-size"), (clip, "--clip"), (noise, "--noise")] { try requireFinite(value, flag) }
        options.langevinSteps = langevinSteps
        options.stepSize = stepSize
        options.gradientClip = clip
        options.noise = noise
        if let problem = options.problem { throw CommandError(problem) }
    }
}

/// Where a command writes its picture and metrics, and its seed.
struct OutputOptions: ParsableArguments {
    @Option(help: "PNG grid to write.")
    var png: String?
    @Option(help: "JSON-lines metrics file to write.")
    var metrics: String?
    @Option(help: "Random seed; the same seed gives the same bytes.")
    var seed: UInt64 = 0
}

/// Loads a model checkpoint named on the command line.
func loadModel(_ path: String) throws -> (model: ImageEnergyModel, checkpoint: Checkpoint) {
    guard FileManager.default.fileExists(atPath: path) else { throw CommandError("no checkpoint at \(path)") }
    return try ImageEnergyModel.load(from: URL(fileURLWithPath: path))
}
