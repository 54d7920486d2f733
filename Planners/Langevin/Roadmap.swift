import EBMCore

/// A lattice over a low-dimensional state box whose steps the world model prices: the global
/// search that gives Langevin chains a start in the right homotopy class.
///
/// Langevin descends locally; from random walks its chains end wherever the goal pulls them
/// into a wall, and no local move reaches the path around (a maze's S). The roadmap minimises
/// the planner's own objective over lattice paths instead: the model prices every lattice
/// step (to each of the 3^D − 1 neighbours, and staying put; spacing = the step reach, so
/// every step is one control step), and dynamic programming over the T steps finds the path
/// that moves until it arrives and then rests, minimising its price plus the task cost of
/// resting where it ends. No wall is known to it: a step is expensive only because the
/// learned energy says so. Meant for states of two or three coordinates (a 41 × 41 lattice
/// has 15 129 steps, priced in one batch).
public struct Roadmap: Codable, Equatable, Sendable {
    /// Lowest and highest value of each state coordinate the lattice covers.
    public var lower: [Float]
    public var upper: [Float]
    /// Distance between neighbouring lattice points per coordinate.
    public var spacing: Float
    /// Chains started from the roadmap path at each optimisation (the rest start as usual).
    public var chains: Int

    public init(lower: [Float], upper: [Float], spacing: Float, chains: Int = 1) {
        self.lower = lower
        self.upper = upper
        self.spacing = spacing
        self.chains = chains
    }

    /// Points per coordinate.
    var counts: [Int] { zip(lower, upper).map { Int((($1 - $0) / spacing).rounded()) + 1 } }

    /// The reason these settings cannot run, or nil.
    var problem: String? {
        if lower.isEmpty || lower.count != upper.count { return "roadmap bounds need one lower and one upper value per coordinate" }
        if !(spacing > 0 && spacing.isFinite) { return "roadmap spacing must be finite and positive" }
        if zip(lower, upper).contains(where: { !($0 < $1) || !$0.isFinite || !$1.isFinite }) { return "roadmap bounds must be finite with lower < upper" }
        if counts.reduce(1, *) > 100_000 { return "the roadmap lattice would have more than 100 000 points" }
        if chains < 1 { return "roadmap chains must be at least 1" }
        return nil
    }

    /// The lattice plan of `horizon` steps from `state` minimising Σ model(step) + taskCost of
    /// a plan resting at its end point (`state`, then the path's points, its waits moved to the
    /// end), and the number of steps that move.
    public func plan(from state: [Float], horizon: Int, model: any TaskCost, taskCost: any TaskCost) -> (plan: Tensor, moves: Int) {
        let d = state.count
        precondition(d == lower.count, "a roadmap over \(lower.count) coordinates cannot plan from a \(d)-dimensional state")
        let n = counts
        let total = n.reduce(1, *)
        var strides = [Int](repeating: 1, count: d)
        for i in 1..<max(d, 1) { strides[i] = strides[i - 1] * n[i - 1] }
        func coordinates(_ index: Int) -> [Int] { (0..<d).map { index / strides[$0] % n[$0] } }
        func point(_ index: Int) -> [Float] { coordinates(index).enumerated().map { lower[$0] + Float($1) * spacing } }
        // Offsets to the 3^D neighbours, staying put included (a short path waits).
        var offsets: [[Int]] = [[]]
        for _ in 0..<d { offsets = offsets.flatMap { o in [-1, 0, 1].map { o + [$0] } } }

        // Every step as a one-step plan, priced by the model in one batch.
        var steps: [(from: Int, to: Int)] = []
        var pairs: [Float] = []
        steps.reserveCapacity(total * offsets.count)
        for a in 0..<total {
            let c = coordinates(a), p = point(a)
            for o in offsets where (0..<d).allSatisfy({ (0..<n[$0]).contains(c[$0] + o[$0]) }) {
                let b = a + (0..<d).reduce(0) { $0 + o[$1] * strides[$1] }
                steps.append((a, b))
                pairs += p
                pairs += point(b)
            }
        }
        let prices = model.cost(Tensor(shape: [steps.count, 2, d], scalars: pairs))

        // Paths move at every step until they arrive, then rest at their end point, as a plan
        // that reaches its goal early does: score(t, b) = cheapest t-move path to b + (T − t)
        // rests at b + the task cost of resting at b. Resting anywhere else is not a path: the
        // energy's cheapest resting spots would otherwise attract paths that wait there.
        let start = (0..<d).reduce(0) { index, i in
            index + min(max(Int(((state[i] - lower[i]) / spacing).rounded()), 0), n[i] - 1) * strides[i]
        }
        var rest = [Float](repeating: .infinity, count: total)
        for (k, step) in steps.enumerated() where step.from == step.to { rest[step.from] = prices[k] }
        var resting: [Float] = []
        resting.reserveCapacity(total * (horizon + 1) * d)
        for a in 0..<total { let p = point(a); for _ in 0...horizon { resting += p } }
        let taskCosts = taskCost.cost(Tensor(shape: [total, horizon + 1, d], scalars: resting))
        func score(_ t: Int, _ b: Int, _ pathCost: Float) -> Float { pathCost + Float(horizon - t) * rest[b] + taskCosts[b] }

        var cost = [Float](repeating: .infinity, count: total)
        cost[start] = 0
        var best = (score: score(0, start, 0), moves: 0, end: start)
        var back = [[Int32]]()
        back.reserveCapacity(horizon)
        for t in 1...horizon {
            var next = [Float](repeating: .infinity, count: total)
            var from = [Int32](repeating: -1, count: total)
            for (k, step) in steps.enumerated() where step.from != step.to && cost[step.from].isFinite && prices[k].isFinite {
                let c = cost[step.from] + prices[k]
                if c < next[step.to] { next[step.to] = c; from[step.to] = Int32(step.from) }
            }
            cost = next
            back.append(from)
            for b in 0..<total where cost[b].isFinite {
                let s = score(t, b, cost[b])
                if s < best.score { best = (s, t, b) }
            }
        }
        var path = [best.end]
        for t in stride(from: best.moves - 1, through: 0, by: -1) { path.append(Int(back[t][path.last!])) }
        path.reverse()
        path += [Int](repeating: best.end, count: horizon + 1 - path.count)
        return (Tensor(shape: [horizon + 1, d], scalars: state + path.dropFirst().flatMap(point)), best.moves)
    }
}

