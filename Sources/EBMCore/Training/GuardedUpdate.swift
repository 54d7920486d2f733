extension Adam {
    /// Backpropagates `outputGradient` through `network`'s last forward pass and takes one
    /// optimiser step — unless a gradient or an updated parameter is not finite: then the
    /// parameters stay as they were and `TrainingDiverged` names the failing training step.
    /// Both trainers (contrastive divergence and regression) end their steps here.
    mutating func update(_ network: Network, outputGradient: Tensor, trainingStep: Int) throws {
        network.zeroGradients()
        network.backward(outputGradient, .parameters)
        guard network.parameters.allSatisfy({ !$0.isTrainable || $0.gradient.isFinite }) else {
            throw TrainingDiverged(step: trainingStep, quantity: "a parameter gradient")
        }
        let before = network.parameters.map(\.value)
        update(network.parameters)
        guard network.parameters.allSatisfy(\.value.isFinite) else {
            for (p, value) in zip(network.parameters, before) { p.value = value }
            throw TrainingDiverged(step: trainingStep, quantity: "an updated parameter")
        }
        network.parametersDidChange()
    }
}
