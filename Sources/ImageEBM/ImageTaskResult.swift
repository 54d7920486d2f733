import EBMCore

/// What an image task produces: named metrics (one JSON line) and panels of images (one grid
/// row each, e.g. originals, corrupted, restored).
public struct ImageTaskResult {
    public var metrics: [String: Double]
    public var panels: [Tensor]

    public init(metrics: [String: Double], panels: [Tensor]) {
        self.metrics = metrics
        self.panels = panels
    }
}
