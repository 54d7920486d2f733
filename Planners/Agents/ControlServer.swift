import EBMCore
import EBMEnvironments
import Foundation

/// The JSON-lines controller behind `ebm-plan control` (SPEC §8): one request per line,
/// `{"state": […], "goal": […], "obstacles": [[…]]?, "reset": true?}`, one answer per line,
/// `{"action": […], "plan": [[…]]}` or `{"error": "…"}`. A bad line is answered and
/// forgotten; serving goes on. Consecutive requests with the same goal and obstacles are one
/// episode, so planning warm-starts from the previous plan.
public struct ControlServer<E: Environment> {
    public let environment: E
    public let planner: PlannerKind
    public let models: AgentModels
    public let preset: PlanningPreset
    /// Whether answers include the chosen plan's states.
    public var includesPlan: Bool
    private var controller: MPCController?
    private var episodeKey: [Double]?
    private var rng: RNG

    public init(environment: E, planner: PlannerKind, models: AgentModels, preset: PlanningPreset,
                seed: UInt64, includesPlan: Bool = false) {
        self.environment = environment
        self.planner = planner
        self.models = models
        self.preset = preset
        self.includesPlan = includesPlan
        rng = RNG(seed: seed, stream: 7)
    }

    struct Request: Decodable {
        var state: [Double]
        var goal: [Double]
        var obstacles: [[Double]]?
        var reset: Bool?
    }

    /// The answer line for one request line.
    public mutating func respond(to line: String) -> String {
        do {
            return try answer(line)
        } catch let error as DecodingError {
            return Self.errorLine("malformed request: \(Self.describe(error))")
        } catch {
            return Self.errorLine("\(error)")
        }
    }

    private mutating func answer(_ line: String) throws -> String {
        let request = try JSONDecoder().decode(Request.self, from: Data(line.utf8))
        let obstacles = try (request.obstacles ?? []).map { try Obstacle($0) }
        // Validates lengths, finiteness, workspace and obstacles exactly as an episode start would.
        var env = environment
        try env.reset(seed: 0, start: try E.vector(request.state, as: .start) as E.State,
                      goal: try E.vector(request.goal, as: .goal) as SIMD2<Double>, obstacles: obstacles)
        let key = request.goal + obstacles.flatMap(Self.numbers)
        if request.reset == true || controller == nil || key != episodeKey {
            controller = try Agents.controller(for: env, obstacles: obstacles, planner: planner, models: models, preset: preset)
            episodeKey = key
        }
        let action = controller!.action(for: request.state.map(Float.init), rng: &rng)
        var reply: [String: Any] = ["action": action.map(Double.init)]
        if includesPlan, let plan = controller?.planner.bestPlan {
            reply["plan"] = (0..<plan.rows).map { plan.row($0).map(Double.init) }
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys]), as: UTF8.self)
    }

    private static func numbers(_ o: Obstacle) -> [Double] {
        switch o {
        case let .rectangle(box): return box.bounds
        case let .circle(center, radius): return [center.x, center.y, radius]
        }
    }

    static func errorLine(_ message: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: ["error": message], options: [.sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? #"{"error":"unprintable error"}"#
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): return "missing \"\(key.stringValue)\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "expected a JSON object" : "\"\(path)\" has the wrong type"
        case .dataCorrupted: return "not valid JSON"
        @unknown default: return "not a valid request"
        }
    }
}
