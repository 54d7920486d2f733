import EBMEnvironments
import EBMPlanners
import Testing

@Suite("Embedded models")
struct EmbeddedModelTests {
    @Test(arguments: EnvironmentKind.allCases)
    func loadsAgainstTheCurrentDefaultConfiguration(kind: EnvironmentKind) throws {
        let bundle = try TransitionModelBundle.embedded(for: kind)
        #expect(bundle.environment == kind)
        #expect(bundle.agentModels.energy != nil)
        #expect(bundle.agentModels.forwardDynamics != nil)
        #expect((bundle.agentModels.inverseDynamics != nil) == (kind == .reacher))
    }
}
