import HomeBaseCore
/// Writes one embedded TrueType face as PDF objects: a Type0 font (Identity-H, 2-byte glyph ids) over a
/// CIDFontType2 (CID = GID, /W widths from hmtx), its descriptor, the FontFile2 subset and a ToUnicode
/// CMap so text extracted from the PDF is the original text.
enum PDFEmbeddedFont {
    static func write(_ font: TrueTypeFont, glyphs: [UInt16: Unicode.Scalar], as type0: Int, in file: inout PDFFile) throws(RenderError) {
        let cid = file.reserve(), descriptor = file.reserve(), program = file.reserve(), toUnicode = file.reserve()
        let ids = glyphs.keys.sorted()
        // Subset tag: six capitals from the glyph set, so the same text always gives the same name.
        var hash = FNV1a()
        hash.add(font.postScriptName)
        for g in ids { hash.add([UInt8(g >> 8), UInt8(g & 0xFF)]) }
        var tag = "", value = hash.value
        for _ in 0..<6 { tag.append(Character(Unicode.Scalar(UInt8(65 + value % 26)))); value /= 26 }
        let name = tag + "+" + font.postScriptName
        let scale = 1000 / Double(font.unitsPerEm)
        func em(_ units: Int) -> String { PDFCanvas.number(Double(units) * scale) }

        file.set(
            type0,
            "<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H /DescendantFonts [\(cid) 0 R] /ToUnicode \(toUnicode) 0 R >>")
        var widths = ""
        for g in ids { widths += "\(g) [\(em(font.advance(g)))] " }
        file.set(
            cid,
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                + " /FontDescriptor \(descriptor) 0 R /DW \(em(font.advance(0))) /W [\(widths)] /CIDToGIDMap /Identity >>")
        let (x0, y0, x1, y1) = font.bbox
        file.set(
            descriptor,
            "<< /Type /FontDescriptor /FontName /\(name) /Flags 32 /FontBBox [\(em(x0)) \(em(y0)) \(em(x1)) \(em(y1))]"
                + " /ItalicAngle 0 /Ascent \(em(font.ascent)) /Descent \(em(font.descent)) /CapHeight \(em(font.ascent)) /StemV 80 /FontFile2 \(program) 0 R >>"
        )
        let subset = font.subset(Set(ids))
        try file.setStream(program, subset, extra: "/Length1 \(subset.count)")
        try file.setStream(toUnicode, Array(cmap(glyphs, ids: ids).utf8))
    }

    /// The ToUnicode CMap: each glyph id to the UTF-16BE of the character it shows, in blocks of 100.
    static func cmap(_ glyphs: [UInt16: Unicode.Scalar], ids: [UInt16]) -> String {
        var out = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        out += "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        out += "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        var start = 0
        while start < ids.count {
            let block = ids[start..<min(start + 100, ids.count)]
            out += "\(block.count) beginbfchar\n"
            for g in block {
                out += "<" + PDFCanvas.hex4(g) + "> <" + String(glyphs[g]!).utf16.map(PDFCanvas.hex4).joined() + ">\n"
            }
            out += "endbfchar\n"
            start += 100
        }
        out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return out
    }
}
