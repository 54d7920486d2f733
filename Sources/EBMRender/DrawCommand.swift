import EBMEnvironments

/// One primitive of a picture in world coordinates: what `SceneStyle` turns a `Scene` into and
/// what every back-end (raster canvas, SVG, OpenGL) knows how to draw.
///
/// Line widths are in pixels so that strokes look the same at any zoom; radii say which unit
/// they are in. Colours carry alpha; each command is blended onto the picture once (a
/// translucent polyline does not darken where its own segments meet).
public enum DrawCommand: Sendable, Equatable {
    /// A filled axis-aligned rectangle.
    case fillRect(Box, RGBA)
    /// A filled disc.
    case fillCircle(center: SIMD2<Double>, radius: Length, RGBA)
    /// A circle outline `width` pixels wide, centred on the radius.
    case strokeCircle(center: SIMD2<Double>, radius: Length, width: Double, RGBA)
    /// An open polyline `width` pixels wide with round caps and joins; repeat the first point
    /// at the end to close it.
    case polyline([SIMD2<Double>], width: Double, RGBA)

    /// A length in world units or in pixels.
    public enum Length: Sendable, Equatable {
        case world(Double)
        case pixels(Double)

        /// The length in pixels under `map` (world lengths use the x scale).
        public func pixels(in map: PixelMap) -> Double {
            switch self {
            case .world(let length): return length * map.scale.x
            case .pixels(let length): return length
            }
        }

        /// The length in world units under `map`.
        public func world(in map: PixelMap) -> Double {
            switch self {
            case .world(let length): return length
            case .pixels(let length): return map.worldLength(pixels: length)
            }
        }
    }
}
