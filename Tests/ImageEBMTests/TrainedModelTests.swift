import EBMCore
import Foundation
import ImageEBM
import Testing

/// A position model and a shape model trained once, at CI size (16×16, big sprites, a coarse
/// factor grid), shared by the direction tests below. Each test takes copies, because a
/// network keeps the activations of its last pass.
enum TrainedModels {
    static let data = ShapeDataset(size: 16, scales: [0.8, 0.9, 1], rotationLevels: 4, positionLevels: 5)

    /// IGEBM's sampler with fewer steps.
    static let sampler = LangevinSampler(steps: 20, stepSize: .constant(10),
                                         mode: .igebm(noise: 0.005, gradientClip: 0.01, bounds: 0...1))

    static func spec(_ condition: ImageCondition) -> ImageModelSpec {
        ImageModelSpec(data: data, condition: condition, channels: [8, 16, 32], downsample: [false, true, true],
                       downsampling: .stride, denseWidth: 64)
    }

    static func train(_ condition: ImageCondition, steps: Int, learningRate: Float = 2e-3, labelNegatives: Int = 0,
                      labelClassification: Float = 0) -> ImageEnergyModel {
        var options = ImageTrainingOptions()
        options.labelClassification = labelClassification
        options.batchSize = 16
        options.langevinSteps = 15
        options.learningRate = learningRate
        options.labelNegatives = labelNegatives
        var trainer = ImageTrainer(model: ImageEnergyModel(spec: spec(condition), seed: 1), options: options, seed: 2)
        let start = Date()
        for _ in 0..<steps { try! trainer.step() }
        print("trained \(condition) for \(steps) steps in \(Date().timeIntervalSince(start)) s")
        return trainer.model
    }

    static let position = train(.position, steps: 400)
    /// Sampled negatives alone barely teach a small model its shape label (argmin-energy
    /// accuracy 0.41 after these steps on 128 sprites, chance 0.33); sprites under wrong
    /// labels do (0.62 there, 0.66 in the test below).
    static let shape = train(.shape, steps: 600, learningRate: 5e-3, labelNegatives: 32)
}

@Suite("Trained image energies (16×16, direction of every result)", .serialized)
struct TrainedModelTests {
    private func show(_ name: String, _ metrics: [String: Double]) {
        print(name, metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.3f", $0.value))" }.joined(separator: " "))
    }

    @Test func conditionalSamplesSitNearerTheirPositionThanAnUntrainedModels() {
        let task = ConditionalSampling(count: 48, sampler: TrainedModels.sampler, rounds: 3)
        var rng = RNG(seed: 7), same = RNG(seed: 7)
        let trained = task.run(TrainedModels.position.copy(), rng: &rng).metrics
        let untrained = task.run(ImageEnergyModel(spec: TrainedModels.spec(.position), seed: 1), rng: &same).metrics
        show("sample trained", trained)
        show("sample untrained", untrained)
        #expect(trained["position_error_px"]! < 0.75 * untrained["position_error_px"]!)
        #expect(trained["recognisable"]! > untrained["recognisable"]!)
    }

    @Test func inpaintingImprovesOnTheMeanImageFill() {
        // Refining the mean fill; from IGEBM's noise start a model this small still draws
        // spurious sprites into the hidden half (see the report's full-size figures).
        var rng = RNG(seed: 8)
        var task = Inpainting(count: 48, sampler: TrainedModels.sampler, rounds: 1)
        task.start = .meanImage
        let metrics = task.run(TrainedModels.position.copy(), rng: &rng).metrics
        show("inpaint", metrics)
        #expect(metrics["ratio"]! < 1)
    }

    @Test func averagingChainsLowersTheInpaintingError() {
        let one = Inpainting(count: 48, sampler: TrainedModels.sampler, rounds: 1)
        var four = one
        four.chains = 4
        var a = RNG(seed: 14), b = RNG(seed: 14)
        let single = one.run(TrainedModels.position.copy(), rng: &a).metrics
        let averaged = four.run(TrainedModels.position.copy(), rng: &b).metrics
        show("inpaint 1 chain", single)
        show("inpaint 4 chains", averaged)
        #expect(averaged["baseline_mse"]! == single["baseline_mse"]!, "the same images")
        #expect(averaged["inpaint_mse"]! < single["inpaint_mse"]!)
    }

    @Test func restorationRemovesSaltAndPepper() {
        var rng = RNG(seed: 9), same = RNG(seed: 9)
        let suspects = Restoration(count: 48, sampler: TrainedModels.sampler, rounds: 1)
        var all = suspects
        all.moving = .all
        let posterior = suspects.run(TrainedModels.position.copy(), rng: &rng).metrics
        let everything = all.run(TrainedModels.position.copy(), rng: &same).metrics
        show("restore suspects", posterior)
        show("restore all", everything)
        #expect(everything["restored_mse"]! < everything["corrupted_mse"]!)
        // Moving only the pixels at a corruption level beats the mean fill that is told which
        // pixels were hit.
        #expect(posterior["ratio"]! < 1)
    }

    @Test func outliersScoreBelowSprites() {
        var rng = RNG(seed: 10)
        let metrics = OutOfDistribution(count: 48).run(TrainedModels.shape.copy(), rng: &rng).metrics
        show("ood", metrics)
        #expect(metrics["auroc_noise"]! > 0.9)
        #expect(metrics["auroc_constant"]! > 0.5)
    }

    @Test func composedSamplesObeyBothModels() throws {
        var rng = RNG(seed: 11)
        var task = Composition(count: 48, sampler: TrainedModels.sampler, rounds: 3)
        task.includeSingleModels = true
        let metrics = try task.run([TrainedModels.position.copy(), TrainedModels.shape.copy()], rng: &rng).metrics
        show("compose", metrics)
        // The position model pulls the shape model's samples to their place (measured 2.7 px
        // against 4.5 px for the shape model alone), and the joint samples stay sprites. Shape
        // accuracy is only reported: the CI-sized shape model knows its label (argmin-energy
        // accuracy 0.66) but its samples still show it only about half the time.
        #expect(metrics["position_error_px"]! < 0.7 * metrics["single_shape_position_error_px"]!)
        #expect(metrics["recognisable"]! > 0.5)

        // IGEBM's alternating sub-steps sample the same product: the position model still places
        // the sprites.
        task.mode = .alternate
        task.includeSingleModels = false
        var same = RNG(seed: 11)
        let alternating = try task.run([TrainedModels.position.copy(), TrainedModels.shape.copy()], rng: &same).metrics
        show("compose alternate", alternating)
        #expect(alternating["position_error_px"]! < 0.7 * metrics["single_shape_position_error_px"]!)
        #expect(alternating["recognisable"]! > 0.5)
    }

    // Guided chains sample p(x | y)·p(y | x)^w, so the model's own classifier must assign
    // their samples to the label they were drawn under more often than it does plain samples.
    // (Whether that is the shape the renderer's templates see depends on how well the model
    // knows its shapes: with the 32×32 shape model of the README it is not.)
    @Test func labelGuidanceDrawsSamplesTheModelClassifiesAsTheirLabel() {
        let model = TrainedModels.shape
        var rng = RNG(seed: 16)
        let targets = (0..<64).map { _ in model.data.randomFactors(rng: &rng) }
        let labels = model.condition.labels(targets)
        let truth = LabelPosterior.candidateIndices(of: labels!, in: model.candidateLabels)
        func agreement(_ guidance: LabelGuidance) -> Double {
            var chains = RNG(seed: 17)
            let samples = model.copy().sample(count: 64, labels: labels, sampler: TrainedModels.sampler, rounds: 3,
                                               guidance: guidance, rng: &chains)
            let predicted = model.copy().minimumEnergy(of: samples, over: model.data.candidateLabels(for: .shape)).argmin
            return Double(zip(predicted, truth).filter { $0 == $1 }.count) / 64
        }
        let plain = agreement(.none), guided = agreement(LabelGuidance(weight: 3, unguidedRounds: 1))
        print("classifier agreement with the label: plain \(plain), guided \(guided)")
        #expect(guided > plain + 0.1)
        #expect(agreement(LabelGuidance(weight: 0, unguidedRounds: 1)) == plain, "weight 0 samples the plain energy")
    }

    @Test func crossClassMappingMovesSpritesToTheirNewPosition() throws {
        var rng = RNG(seed: 12)
        let metrics = try CrossClassMapping(count: 32, sampler: TrainedModels.sampler, rounds: 3).run(TrainedModels.position.copy(), rng: &rng).metrics
        show("crossclass", metrics)
        #expect(metrics["after_position_error_px"]! < metrics["before_position_error_px"]!)
    }

    @Test func argminEnergyClassificationBeatsChance() throws {
        var rng = RNG(seed: 13)
        let position = try EnergyClassification(count: 64).run(TrainedModels.position.copy(), rng: &rng).metrics
        let shape = try EnergyClassification(count: 64).run(TrainedModels.shape.copy(), rng: &rng).metrics
        show("classify position", position)
        show("classify shape", shape)
        #expect(position["accuracy"]! > position["chance"]!)
        #expect(shape["accuracy"]! > 0.45, "shape labels learnt from label negatives (chance 0.33)")
    }

    @Test func labelClassificationTeachesTheShapeLabelFaster() throws {
        let plain = TrainedModels.train(.shape, steps: 200, learningRate: 5e-3, labelNegatives: 32)
        let classified = TrainedModels.train(.shape, steps: 200, learningRate: 5e-3, labelNegatives: 32, labelClassification: 3)
        var a = RNG(seed: 15), b = RNG(seed: 15)
        let without = try EnergyClassification(count: 128).run(plain, rng: &a).metrics
        let with = try EnergyClassification(count: 128).run(classified, rng: &b).metrics
        show("classify without label classification", without)
        show("classify with label classification", with)
        #expect(with["accuracy"]! > without["accuracy"]! + 0.1)
    }
}
