import ArgumentParser
import EBMCommandLine
import EBMCore
import EBMRender
import Foundation

struct Toy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a 2-D energy on an 8-Gaussian ring by contrastive divergence and plot its Langevin samples.",
        discussion: """
        The numeric core end to end: MLP energy, persistent Langevin negatives with replay, \
        CD loss, Adam; then 800 Langevin chains from uniform noise. Prints one JSON line with \
        the samples per mode and writes an SVG of the energy and the samples.
        """)

    @Option(help: "Random seed; the same seed gives the same bytes.")
    var seed: UInt64 = 0
    @Option(help: "Contrastive-divergence training steps.")
    var steps = 2000
    @Option(help: "Number of Langevin samples to draw and plot.")
    var samples = 800
    @Option(help: "SVG file to write.")
    var svg = "out/toy.svg"

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
        guard samples > 0 else { throw ValidationError("--samples must be positive, got \(samples)") }
    }

    func run() throws {
        BLAS.setThreads(1)
        let url = URL(fileURLWithPath: svg)
        try prepareOutputDirectory(for: url)
        var model = GaussianRingModel(seed: seed)
        model.trainingSteps = steps
        var bar = ProgressBar(total: steps, label: "train")
        try model.train { s in
            bar.update(s.step, status: String(format: "E+ %.3f  E- %.3f", s.positiveEnergy, s.negativeEnergy))
        }
        bar.finish()
        var rng = RNG(seed: seed, stream: 2)
        let x = model.sample(samples, rng: &rng)
        let (perMode, outside) = model.ring.modeHistogram(x)
        try picture(model: model, samples: x).write(to: url)
        let summary: [String: Any] = [
            "seed": seed, "steps": steps, "samples": samples,
            "per_mode": perMode, "outside": outside,
            "modes_covered": perMode.filter { $0 > 0 }.count, "svg": svg,
        ]
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: json, as: UTF8.self))
    }

    /// Energy heat map, the ring's modes (3σ circles) and the samples.
    private func picture(model: GaussianRingModel, samples x: Tensor) -> SVGDocument {
        let lo = Double(model.box.lowerBound), hi = Double(model.box.upperBound)
        var doc = SVGDocument(width: 480, height: 480, xRange: lo...hi, yRange: lo...hi)
        let n = 96
        var grid = [Float]()
        for r in 0..<n {
            for c in 0..<n {
                grid.append(Float(lo + (Double(c) + 0.5) * (hi - lo) / Double(n)))
                grid.append(Float(hi - (Double(r) + 0.5) * (hi - lo) / Double(n)))
            }
        }
        let energies = model.network.energies(of: Tensor(shape: [n * n, 2], scalars: grid))
        doc.heatmap(energies.map(Double.init), rows: n, columns: n)
        for k in 0..<model.ring.modeCount {
            let m = model.ring.mode(k)
            doc.circle(x: Double(m.x), y: Double(m.y), radius: Double(3 * model.ring.standardDeviation),
                       fill: "none", stroke: "#ffffff")
        }
        for r in 0..<x.rows {
            doc.circle(x: Double(x.scalars[2 * r]), y: Double(x.scalars[2 * r + 1]), radius: 1.6, pixelRadius: true,
                       fill: "#ff4060", opacity: 0.8)
        }
        doc.text("8-Gaussian ring: energy (dark = low) and \(x.rows) Langevin samples, seed \(seed)", x: lo + 0.05, y: hi - 0.08, size: 12, fill: "#ffffff")
        return doc
    }
}
