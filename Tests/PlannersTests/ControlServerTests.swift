import EBMCore
import EBMEnvironments
import EBMPlanners
import Foundation
import Testing

@Suite("JSON-lines control")
struct ControlServerTests {
    static func server() -> ControlServer<Particle> {
        let spec = TransitionFeatureSpec(stateDimension: 2, deltaScale: [20, 20])
        let energy = Network(NetworkConfig(inputShape: [4], layers: [.transitionFeatures(spec)] + .mlpEnergy(hidden: [8])), seed: 1)
        var preset = PlanningPreset.standard(for: .particle)
        preset.langevin = LangevinPlannerConfiguration(chains: 2, horizon: 5, iterations: 5, warmIterations: 2)
        return ControlServer(environment: Particle(), planner: .langevin, models: AgentModels(energy: energy),
                             preset: preset, seed: 3, includesPlan: true)
    }

    static func decode(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func answersAValidRequestWithAnActionAndThePlan() throws {
        var server = Self.server()
        let reply = try Self.decode(server.respond(to: #"{"state":[0.1,-0.2],"goal":[0.5,0.5]}"#))
        let action = try #require(reply["action"] as? [Double])
        #expect(action.count == 2 && action.allSatisfy { abs($0) <= 1 })
        let plan = try #require(reply["plan"] as? [[Double]])
        #expect(plan.count == 6)
        #expect(abs(plan[0][0] - 0.1) < 1e-6 && abs(plan[0][1] + 0.2) < 1e-6, "\(plan[0])")
    }

    @Test(arguments: [
        ("", "malformed"), ("{", "malformed"), ("[1,2]", "malformed"), (#"{"goal":[0,0]}"#, "state"),
        (#"{"state":[0],"goal":[0,0]}"#, "expects 2"), (#"{"state":[0,0],"goal":[5,0]}"#, "outside"),
        (#"{"state":["a",0],"goal":[0,0]}"#, "wrong type"),
        (#"{"state":[0,0],"goal":[0.5,0.5],"obstacles":[[-0.1,-0.1,0.1,0.1]]}"#, "obstacle"),
        (#"{"state":[0,0],"goal":[0.5,0.5],"obstacles":[[1,2]]}"#, "obstacle"),
        (#"{"state":[1e999,0],"goal":[0,0]}"#, "json"),
    ])
    func badLinesGetOneErrorEach(line: String, phrase: String) throws {
        var server = Self.server()
        let reply = try Self.decode(server.respond(to: line))
        let message = try #require(reply["error"] as? String, "reply \(reply)")
        #expect(message.lowercased().contains(phrase), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test func survivesTenThousandRandomMalformedLines() throws {
        var server = Self.server()
        var rng = RNG(seed: 9)
        let alphabet = Array(#"{}[]",:0123456789.-eE"stategoalobstaclesresettruefalse null nan"#)
        let fragments = [#"{"state":"#, #""goal":"#, #""obstacles":"#, "[", "]", "{", "}", ",", "1e308", "-0.5", "null", "true", #"""#]
        for i in 0..<10_000 {
            var line = ""
            for _ in 0..<(1 + rng.index(below: 12)) {
                line += rng.uniform() < 0.5 ? fragments[rng.index(below: fragments.count)]
                    : String(alphabet[rng.index(below: alphabet.count)])
            }
            let reply = try Self.decode(server.respond(to: line))
            #expect(reply["error"] != nil || reply["action"] != nil, "line \(i): \(line)")
        }
        let reply = try Self.decode(server.respond(to: #"{"state":[0,0],"goal":[0.5,0.5]}"#))
        #expect(reply["action"] != nil)
    }
}
