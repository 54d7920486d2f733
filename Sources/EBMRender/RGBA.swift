/// An 8-bit-per-channel colour with straight (not premultiplied) alpha.
///
/// The one colour type of every back-end: PNG pixels, the raster canvas, SVG attributes and GL
/// vertex colours all take these bytes unchanged, so the same scene gets the same colours
/// everywhere.
public struct RGBA: Sendable, Hashable {
    /// Red, green and blue, 0…255.
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    /// 255 is opaque.
    public var a: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8 = 255) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    /// A colour from `#rrggbb` (as `ColorRamp.color(at:)` returns), or `nil` for anything else.
    public init?(hex: String, alpha: UInt8 = 255) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF), alpha)
    }

    /// `#rrggbb`, ignoring alpha (SVG carries alpha as a separate opacity).
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + String([r >> 4, r & 15, g >> 4, g & 15, b >> 4, b & 15].map { digits[Int($0)] })
    }

    /// Alpha as a fraction in [0, 1].
    public var opacity: Double { Double(a) / 255 }

    /// The same colour with alpha `a`.
    public func withAlpha(_ a: UInt8) -> RGBA { RGBA(r, g, b, a) }

    /// `self` drawn over an opaque `background` (source-over), rounded in integer arithmetic so
    /// the result is the same bytes on every machine. Canvases start opaque, so that is the
    /// only case needed.
    public func over(_ background: RGBA) -> RGBA {
        let sa = UInt32(a), inverse = 255 - UInt32(a)
        func mix(_ s: UInt8, _ d: UInt8) -> UInt8 { UInt8((UInt32(s) * sa + UInt32(d) * inverse + 127) / 255) }
        return RGBA(mix(r, background.r), mix(g, background.g), mix(b, background.b), background.a)
    }
}

extension ColorRamp {
    /// The ramp's colour at `t` (clamped to [0, 1]) as bytes; the same colour `color(at:)` names.
    public func rgba(at t: Double, alpha: UInt8 = 255) -> RGBA {
        // `color(at:)` is the single interpolation rule; parsing its output keeps SVG and pixel
        // back-ends from drifting apart. Its output is always `#rrggbb`.
        RGBA(hex: color(at: t), alpha: alpha) ?? RGBA(0, 0, 0, alpha)
    }
}
