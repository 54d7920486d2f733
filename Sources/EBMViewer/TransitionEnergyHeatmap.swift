import EBMCore
import EBMEnvironments
import EBMRender

/// A learned transition energy E(s, s′) over a grid of next positions s′ around a planar
/// state s: where the model thinks the point can go in one step (low energy) and where it
/// cannot (beyond its reach, into walls it learned).
public struct TransitionEnergyHeatmap {
    /// An energy over rows [s_t, s_t+1] of planar states, starting with transition features.
    public let energy: Network
    /// Cells per side: coarse, so that refreshing it every step stays cheap.
    public var resolution = 48
    /// Half-width of the window in one-step reaches, so the reachable set sits well inside.
    public var reaches = 4.0

    public init(energy: Network) {
        self.energy = energy
    }

    /// The field around `state`, clipped to `bounds`; `nil` when the energy is not over planar
    /// states (the window's size comes from the features' step scale, one unit per step).
    public func heatmap(around state: SIMD2<Double>, within bounds: Box) -> Heatmap? {
        guard case let .transitionFeatures(spec)? = energy.config.layers.first, spec.stateDimension == 2,
              spec.deltaScale.allSatisfy({ $0 > 0 }) else { return nil }
        let halfWidth = reaches / SIMD2(Double(spec.deltaScale[0]), Double(spec.deltaScale[1]))
        let lower = pointwiseMax(state - halfWidth, bounds.lower), upper = pointwiseMin(state + halfWidth, bounds.upper)
        let region = Box(xmin: lower.x, ymin: lower.y, xmax: upper.x, ymax: upper.y)
        let n = resolution
        let cell = (upper - lower) / Double(n)
        var rows = [Float]()
        rows.reserveCapacity(n * n * 4)
        // Row 0 is the top of the region (largest y), as `Heatmap` stores it.
        for row in 0..<n {
            for column in 0..<n {
                let next = SIMD2(lower.x + (Double(column) + 0.5) * cell.x, upper.y - (Double(row) + 0.5) * cell.y)
                rows += [Float(state.x), Float(state.y), Float(next.x), Float(next.y)]
            }
        }
        let energies = energy.energies(of: Tensor(shape: [n * n, 4], scalars: rows))
        return Heatmap(region: region, rows: n, columns: n, values: energies.map(Double.init))
    }
}
