import Foundation
import HomeBaseCore

/// The fonts a PDF is drawn with: either the standard Helvetica pair (WinAnsi, nothing embedded) or
/// embedded TrueType faces — a regular, a bold and a fallback for characters those two lack (CJK) —
/// each written as a Type0/CIDFontType2 subset so any Unicode text shows, copies and searches.
package struct PDFFontSet: Sendable {
    /// One embedded face and its resource name (`F1`, `F2`, `F3`).
    struct Face: Sendable {
        let resource: String
        let font: TrueTypeFont
    }

    /// nil: the standard 14 fonts. Else [regular, bold, fallback?].
    let faces: [Face]?

    /// Helvetica and Helvetica-Bold, as before fonts were embedded.
    package static let standard = PDFFontSet(faces: nil)

    package var isEmbedded: Bool { faces != nil }

    /// Debian's paths for the default faces (fonts-dejavu-core, fonts-droid-fallback).
    package static let regularPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    package static let boldPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    package static let fallbackPaths = [
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"
    ]

    init(faces: [Face]?) { self.faces = faces }

    /// Embedded fonts from explicit files (`bold` nil: the regular face draws bold text too).
    package init(regular: String, bold: String? = nil, fallback: String? = nil) throws(RenderError) {
        let main = try TrueTypeFont(path: regular)
        var faces = [
            Face(resource: "F1", font: main),
            Face(resource: "F2", font: try bold.map { path throws(RenderError) in try TrueTypeFont(path: path) } ?? main)
        ]
        if let fallback { faces.append(Face(resource: "F3", font: try TrueTypeFont(path: fallback))) }
        self.faces = faces
    }

    /// The fonts for a report: `HOMEBASE_FONT`, else the config's `reports.font`, else DejaVu Sans with
    /// Droid Sans Fallback for CJK. The value `standard` asks for Helvetica. When no usable font is
    /// found the result is `standard` with a warning saying why and how to fix it.
    package static func resolve(override: String?, environment: [String: String] = ProcessEnvironment.current)
        -> (fonts: PDFFontSet, warning: String?)
    {
        let fallback = fallbackPaths.first { FileManager.default.isReadableFile(atPath: $0) }
        let chosen = environment["HOMEBASE_FONT"].flatMap { $0.isEmpty ? nil : $0 } ?? override
        if let chosen {
            if chosen == "standard" { return (.standard, nil) }
            do {
                return (try PDFFontSet(regular: chosen, fallback: fallback == chosen ? nil : fallback), nil)
            } catch {
                return (.standard, "PDF: \(error.message); using the standard fonts, which show only Latin text")
            }
        }
        guard FileManager.default.isReadableFile(atPath: regularPath) else {
            return (
                .standard,
                "PDF: no Unicode font found (\(regularPath)); install fonts-dejavu-core and fonts-droid-fallback (make deps) "
                    + "or set HOMEBASE_FONT / reports.font to a .ttf; using the standard fonts, which show only Latin text"
            )
        }
        do {
            let bold = FileManager.default.isReadableFile(atPath: boldPath) ? boldPath : nil
            return (try PDFFontSet(regular: regularPath, bold: bold, fallback: fallback), nil)
        } catch {
            return (.standard, "PDF: \(error.message); using the standard fonts, which show only Latin text")
        }
    }

    /// A run of text in one face: resource name and 2-byte glyph ids (or WinAnsi bytes for the standard fonts).
    struct Run {
        var face: Int
        var glyphs: [UInt16]
        var scalars: [Unicode.Scalar]
    }

    /// Splits `text` into runs by face; characters no face has become "?" and are counted.
    func runs(_ text: String, bold: Bool) -> (runs: [Run], replaced: Int) {
        guard let faces else { return ([], 0) }
        var runs: [Run] = []
        var replaced = 0
        let primary = bold ? 1 : 0
        for raw in text.unicodeScalars {
            var scalar = raw
            if scalar == "\t" || scalar == "\n" || scalar == "\r" { scalar = " " }
            // Variation selectors and joiners have no glyph of their own.
            if (0xFE00...0xFE0F).contains(scalar.value) || scalar.value == 0x200D { continue }
            var face = primary, glyph = faces[primary].font.glyph(scalar)
            if glyph == 0, faces.count > 2 {
                let other = faces[2].font.glyph(scalar)
                if other != 0 { face = 2; glyph = other }
            }
            if glyph == 0 {
                replaced += 1
                scalar = "?"
                face = primary
                glyph = faces[primary].font.glyph(scalar)
            }
            if let last = runs.indices.last, runs[last].face == face {
                runs[last].glyphs.append(glyph)
                runs[last].scalars.append(scalar)
            } else {
                runs.append(Run(face: face, glyphs: [glyph], scalars: [scalar]))
            }
        }
        return (runs, replaced)
    }

    /// Width of `text` at `size` points as the PDF will show it.
    package func width(_ text: String, bold: Bool, size: Double) -> Double {
        guard let faces else { return HelveticaMetrics.width(text, bold: bold, size: size) }
        var total = 0.0
        for run in runs(text, bold: bold).runs {
            let font = faces[run.face].font
            var units = 0
            for g in run.glyphs { units += font.advance(g) }
            total += Double(units) / Double(font.unitsPerEm)
        }
        return total * size
    }
}
