/// One page's content stream, drawn with top-left coordinates (y down) and turned into PDF's
/// bottom-left space here. With the standard fonts text goes through WinAnsi (F1 Helvetica, F2 Helvetica-Bold);
/// with embedded fonts it is 2-byte glyph ids per face, and the glyphs used are recorded for the subset.
package struct PDFCanvas: Sendable {
    package let pageHeight: Double
    let fonts: PDFFontSet
    package private(set) var content: [UInt8] = []
    /// Characters shown as "?" because no font can show them.
    package private(set) var replacedCharacters = 0
    /// Per embedded face: glyph id → the character it shows (for the subset and the ToUnicode map).
    private(set) var usedGlyphs: [[UInt16: Unicode.Scalar]] = []

    package init(pageHeight: Double, fonts: PDFFontSet = .standard) {
        self.pageHeight = pageHeight
        self.fonts = fonts
        usedGlyphs = Array(repeating: [:], count: fonts.faces?.count ?? 0)
    }

    /// Text with its baseline at (x, y); returns its width.
    @discardableResult
    package mutating func text(
        _ string: String, x: Double, y: Double, size: Double, bold: Bool = false,
        color: ChartDrawing.Color = ChartDrawing.ink, anchor: ChartDrawing.Anchor = .start,
        vertical: Bool = false
    ) -> Double {
        if fonts.isEmbedded { return embeddedText(string, x: x, y: y, size: size, bold: bold, color: color, anchor: anchor, vertical: vertical) }
        let (bytes, replaced) = WinAnsi.encode(string)
        replacedCharacters += replaced
        let width = HelveticaMetrics.width(bytes, bold: bold, size: size)
        let shift = anchor == .start ? 0 : anchor == .middle ? width / 2 : width
        var op = "BT /" + (bold ? "F2 " : "F1 ") + Self.number(size) + " Tf " + fillColor(color) + " "
        if vertical {
            op += "0 1 -1 0 " + Self.number(x) + " " + Self.number(pageHeight - y + shift) + " Tm "
        } else {
            op += "1 0 0 1 " + Self.number(x - shift) + " " + Self.number(pageHeight - y) + " Tm "
        }
        emit(op)
        content += Self.literal(bytes)
        emit(" Tj ET\n")
        return width
    }

    /// Text in the embedded faces: one `Tf … <hex> Tj` per run of one face.
    private mutating func embeddedText(
        _ string: String, x: Double, y: Double, size: Double, bold: Bool,
        color: ChartDrawing.Color, anchor: ChartDrawing.Anchor, vertical: Bool
    ) -> Double {
        let (runs, replaced) = fonts.runs(string, bold: bold)
        replacedCharacters += replaced
        let width = fonts.width(string, bold: bold, size: size)
        let shift = anchor == .start ? 0 : anchor == .middle ? width / 2 : width
        var op = "BT " + fillColor(color) + " "
        if vertical {
            op += "0 1 -1 0 " + Self.number(x) + " " + Self.number(pageHeight - y + shift) + " Tm"
        } else {
            op += "1 0 0 1 " + Self.number(x - shift) + " " + Self.number(pageHeight - y) + " Tm"
        }
        let faces = fonts.faces ?? []
        for run in runs {
            op += " /" + faces[run.face].resource + " " + Self.number(size) + " Tf <"
            for (glyph, scalar) in zip(run.glyphs, run.scalars) {
                if usedGlyphs[run.face][glyph] == nil { usedGlyphs[run.face][glyph] = scalar }
                op += Self.hex4(glyph)
            }
            op += "> Tj"
        }
        emit(op + " ET\n")
        return width
    }

    /// Four uppercase hex digits.
    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    package mutating func fillRect(x: Double, y: Double, width: Double, height: Double, color: ChartDrawing.Color) {
        emit(
            fillColor(color) + " " + Self.number(x) + " " + Self.number(pageHeight - y - height) + " "
                + Self.number(width) + " " + Self.number(height) + " re f\n")
    }

    package mutating func polyline(_ points: [ChartDrawing.Point], color: ChartDrawing.Color, width: Double, dashed: Bool = false) {
        guard points.count > 1 else { return }
        var op = strokeColor(color) + " " + Self.number(width) + " w " + (dashed ? "[4 3] 0 d " : "[] 0 d ")
        op += path(points) + " S\n"
        emit(op)
    }

    package mutating func fillPolygon(_ points: [ChartDrawing.Point], color: ChartDrawing.Color) {
        guard points.count > 2 else { return }
        emit(fillColor(color) + " " + path(points) + " h f\n")
    }

    /// A circle from four Bézier arcs (k = 0.5523 of the radius), filled and stroked.
    package mutating func circle(center: ChartDrawing.Point, radius r: Double, fill: ChartDrawing.Color, stroke: ChartDrawing.Color) {
        let cx = center.x, cy = pageHeight - center.y, k = 0.5523 * r
        let n = Self.number
        var op = fillColor(fill) + " " + strokeColor(stroke) + " 0.8 w [] 0 d "
        op += n(cx + r) + " " + n(cy) + " m "
        op += n(cx + r) + " " + n(cy + k) + " " + n(cx + k) + " " + n(cy + r) + " " + n(cx) + " " + n(cy + r) + " c "
        op += n(cx - k) + " " + n(cy + r) + " " + n(cx - r) + " " + n(cy + k) + " " + n(cx - r) + " " + n(cy) + " c "
        op += n(cx - r) + " " + n(cy - k) + " " + n(cx - k) + " " + n(cy - r) + " " + n(cx) + " " + n(cy - r) + " c "
        op += n(cx + k) + " " + n(cy - r) + " " + n(cx + r) + " " + n(cy - k) + " " + n(cx + r) + " " + n(cy) + " c B\n"
        emit(op)
    }

    /// Draws a laid-out chart with its top-left corner at (x, y).
    package mutating func draw(_ drawing: ChartDrawing, x: Double, y: Double) {
        func moved(_ p: ChartDrawing.Point) -> ChartDrawing.Point { .init(x: p.x + x, y: p.y + y) }
        for shape in drawing.shapes {
            switch shape {
            case let .polyline(points, stroke, width, dashed): polyline(points.map(moved), color: stroke, width: width, dashed: dashed)
            case let .polygon(points, fill): fillPolygon(points.map(moved), color: fill)
            case let .rect(rx, ry, w, h, fill): fillRect(x: rx + x, y: ry + y, width: w, height: h, color: fill)
            case let .circle(center, radius, fill, stroke): circle(center: moved(center), radius: radius, fill: fill, stroke: stroke)
            case let .text(string, at, size, anchor, color, bold, vertical):
                let p = moved(at)
                text(string, x: p.x, y: p.y, size: size, bold: bold, color: color, anchor: anchor, vertical: vertical)
            }
        }
    }

    private func path(_ points: [ChartDrawing.Point]) -> String {
        var parts: [String] = []
        for (i, p) in points.enumerated() {
            parts.append(Self.number(p.x) + " " + Self.number(pageHeight - p.y) + (i == 0 ? " m" : " l"))
        }
        return parts.joined(separator: " ")
    }

    private func fillColor(_ c: ChartDrawing.Color) -> String { Self.rgb(c) + " rg" }
    private func strokeColor(_ c: ChartDrawing.Color) -> String { Self.rgb(c) + " RG" }
    private static func rgb(_ c: ChartDrawing.Color) -> String {
        [c.r, c.g, c.b].map { number(Double($0) / 255) }.joined(separator: " ")
    }

    private mutating func emit(_ text: String) { content += text.utf8 }

    /// A PDF number: at most two decimals, no exponent, no "-0".
    package static func number(_ value: Double) -> String {
        var text = ReportNumberFormat.fixed(value.isFinite ? value : 0, places: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A literal string `( … )` of font codes: `( ) \` escaped, bytes outside 0x20…0x7E as 3-digit octal.
    package static func literal(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "(")]
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case 0x20...0x7E: out.append(byte)
            default:
                out.append(UInt8(ascii: "\\"))
                out += [byte >> 6, (byte >> 3) & 7, byte & 7].map { UInt8(ascii: "0") + $0 }
            }
        }
        out.append(UInt8(ascii: ")"))
        return out
    }
}
