import Foundation

/// A TrueType (glyf-outline) font read from a .ttf or the first face of a .ttc: character → glyph lookup
/// (cmap formats 4 and 12), advance widths (hmtx) for layout, and a subset for embedding in a PDF
/// (glyph ids unchanged, unused glyphs left empty, so CID = GID needs no remapping).
struct TrueTypeFont: Sendable {
    let path: String
    /// PostScript name (name id 6), else the file name.
    let postScriptName: String
    let unitsPerEm: Int
    let numGlyphs: Int
    let ascent: Int
    let descent: Int
    let bbox: (Int, Int, Int, Int)
    private let data: [UInt8]
    private let tables: [String: (offset: Int, length: Int)]
    private let advances: [UInt16]
    private let cmapOffset: Int
    private let cmapFormat: Int

    /// Reads `path`; throws naming the file and what is wrong with it.
    init(path: String) throws(RenderError) {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw RenderError("font \(path): cannot read the file (set HOMEBASE_FONT or reports.font to a readable .ttf)")
        }
        try self.init(bytes: [UInt8](contents), path: path)
    }

    init(bytes: [UInt8], path: String) throws(RenderError) {
        self.path = path
        data = bytes
        func fail(_ why: String) -> RenderError {
            RenderError("font \(path): \(why); pick a TrueType .ttf such as /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        }
        guard bytes.count >= 12 else { throw fail("too short to be a font") }
        var start = 0
        if Self.tag(bytes, 0) == "ttcf" {
            guard bytes.count >= 16 else { throw fail("truncated collection header") }
            start = Int(Self.u32(bytes, 12))
        }
        guard start + 12 <= bytes.count else { throw fail("truncated header") }
        let version = Self.tag(bytes, start)
        if version == "OTTO" { throw fail("its outlines are CFF, not TrueType (glyf)") }
        guard Self.u32(bytes, start) == 0x0001_0000 || version == "true" else { throw fail("not a TrueType font") }
        let count = Int(Self.u16(bytes, start + 4))
        var tables: [String: (Int, Int)] = [:]
        for i in 0..<count {
            let record = start + 12 + 16 * i
            guard record + 16 <= bytes.count else { throw fail("truncated table directory") }
            let offset = Int(Self.u32(bytes, record + 8)), length = Int(Self.u32(bytes, record + 12))
            guard offset + length <= bytes.count else { throw fail("table \(Self.tag(bytes, record)) runs past the end of the file") }
            tables[Self.tag(bytes, record)] = (offset, length)
        }
        for required in ["head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"] where tables[required] == nil {
            throw fail(required == "glyf" ? "it has no TrueType (glyf) outlines" : "it has no '\(required)' table")
        }
        self.tables = tables
        let head = tables["head"]!.0, hhea = tables["hhea"]!.0, maxp = tables["maxp"]!.0
        unitsPerEm = Int(Self.u16(bytes, head + 18))
        guard unitsPerEm > 0 else { throw fail("unitsPerEm is 0") }
        bbox = (Int(Self.i16(bytes, head + 36)), Int(Self.i16(bytes, head + 38)), Int(Self.i16(bytes, head + 40)), Int(Self.i16(bytes, head + 42)))
        ascent = Int(Self.i16(bytes, hhea + 4))
        descent = Int(Self.i16(bytes, hhea + 6))
        numGlyphs = Int(Self.u16(bytes, maxp + 4))
        let metrics = max(1, Int(Self.u16(bytes, hhea + 34)))
        let hmtx = tables["hmtx"]!
        guard hmtx.1 >= 4 * metrics else { throw fail("hmtx is shorter than hhea says") }
        var advances: [UInt16] = []
        advances.reserveCapacity(numGlyphs)
        for g in 0..<numGlyphs { advances.append(Self.u16(bytes, hmtx.0 + 4 * min(g, metrics - 1))) }
        self.advances = advances
        // cmap: a full-repertoire subtable (format 12) when there is one, else a BMP one (format 4).
        let cmap = tables["cmap"]!.0
        var best: (offset: Int, format: Int)?
        for i in 0..<Int(Self.u16(bytes, cmap + 2)) {
            let record = cmap + 4 + 8 * i
            let platform = Self.u16(bytes, record), encoding = Self.u16(bytes, record + 2)
            let offset = cmap + Int(Self.u32(bytes, record + 4))
            guard offset + 2 <= bytes.count else { continue }
            let format = Int(Self.u16(bytes, offset))
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
            guard unicode, format == 4 || format == 12 else { continue }
            if best == nil || (format == 12 && best!.format != 12) { best = (offset, format) }
        }
        guard let best else { throw fail("it has no Unicode cmap (format 4 or 12)") }
        cmapOffset = best.offset
        cmapFormat = best.format
        postScriptName = Self.name(bytes, tables["name"]) ?? Self.sanitized(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    /// Glyph id for `scalar`, 0 when the font has none.
    func glyph(_ scalar: Unicode.Scalar) -> UInt16 {
        let c = scalar.value
        let d = data, o = cmapOffset
        if cmapFormat == 12 {
            var lo = 0, hi = Int(Self.u32(d, o + 12)) - 1
            while lo <= hi {
                let mid = (lo + hi) / 2, g = o + 16 + 12 * mid
                let first = Self.u32(d, g), last = Self.u32(d, g + 4)
                if c < first {
                    hi = mid - 1
                } else if c > last {
                    lo = mid + 1
                } else {
                    let id = Self.u32(d, g + 8) + (c - first)
                    return id < numGlyphs ? UInt16(id) : 0
                }
            }
            return 0
        }
        guard c <= 0xFFFF else { return 0 }
        let segments = Int(Self.u16(d, o + 6)) / 2
        let ends = o + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, ranges = deltas + 2 * segments
        var lo = 0, hi = segments - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if UInt32(Self.u16(d, ends + 2 * mid)) < c { lo = mid + 1 } else { hi = mid }
        }
        guard segments > 0, UInt32(Self.u16(d, starts + 2 * lo)) <= c, c <= UInt32(Self.u16(d, ends + 2 * lo)) else { return 0 }
        let delta = Self.u16(d, deltas + 2 * lo), range = Int(Self.u16(d, ranges + 2 * lo))
        if range == 0 { return UInt16(truncatingIfNeeded: UInt32(delta) &+ c) }
        let at = ranges + 2 * lo + range + 2 * (Int(c) - Int(Self.u16(d, starts + 2 * lo)))
        guard at + 2 <= d.count else { return 0 }
        let id = Self.u16(d, at)
        return id == 0 ? 0 : id &+ delta
    }

    /// Advance width of `glyph` in font units.
    func advance(_ glyph: UInt16) -> Int { Int(glyph) < advances.count ? Int(advances[Int(glyph)]) : 0 }

    /// A font program holding only `glyphs` (and the components of composite ones) plus .notdef: glyph ids
    /// are kept, every other glyph is empty, glyph ids above the largest used are dropped; no cmap (a PDF
    /// CIDFontType2 with CIDToGIDMap /Identity addresses glyphs directly).
    func subset(_ glyphs: Set<UInt16>) -> [UInt8] {
        let loca = tables["loca"]!.0, glyf = tables["glyf"]!
        let long = Self.i16(data, tables["head"]!.0 + 50) == 1
        func range(_ g: Int) -> (Int, Int) {
            guard g < numGlyphs else { return (0, 0) }
            let a = long ? Int(Self.u32(data, loca + 4 * g)) : 2 * Int(Self.u16(data, loca + 2 * g))
            let b = long ? Int(Self.u32(data, loca + 4 * g + 4)) : 2 * Int(Self.u16(data, loca + 2 * g + 2))
            guard a <= b, b <= glyf.length else { return (0, 0) }
            return (glyf.offset + a, b - a)
        }
        // Close over composite components.
        var keep: Set<UInt16> = glyphs.union([0])
        var queue = Array(keep)
        while let g = queue.popLast() {
            let (at, length) = range(Int(g))
            guard length >= 10, Self.i16(data, at) < 0 else { continue }
            var p = at + 10
            while p + 4 <= at + length {
                let flags = Self.u16(data, p), component = Self.u16(data, p + 2)
                if Int(component) < numGlyphs, keep.insert(component).inserted { queue.append(component) }
                p += 4 + (flags & 1 != 0 ? 4 : 2)
                p += flags & 0x8 != 0 ? 2 : flags & 0x40 != 0 ? 4 : flags & 0x80 != 0 ? 8 : 0
                if flags & 0x20 == 0 { break }
            }
        }
        let count = Int(keep.max() ?? 0) + 1
        var newGlyf: [UInt8] = [], newLoca: [UInt8] = [], newHmtx: [UInt8] = []
        let hmtx = tables["hmtx"]!.0
        let metrics = max(1, Int(Self.u16(data, tables["hhea"]!.0 + 34)))
        for g in 0..<count {
            Self.put32(&newLoca, UInt32(newGlyf.count))
            if keep.contains(UInt16(g)) {
                let (at, length) = range(g)
                newGlyf += data[at..<at + length]
                while newGlyf.count % 4 != 0 { newGlyf.append(0) }
            }
            Self.put16(&newHmtx, advances[g])
            let lsb = g < metrics ? hmtx + 4 * g + 2 : hmtx + 4 * metrics + 2 * (g - metrics)
            newHmtx += lsb + 2 <= data.count ? Array(data[lsb..<lsb + 2]) : [0, 0]
        }
        Self.put32(&newLoca, UInt32(newGlyf.count))
        func copy(_ tag: String) -> [UInt8]? { tables[tag].map { Array(data[$0.offset..<$0.offset + $0.length]) } }
        var head = copy("head")!
        head.replaceSubrange(8..<12, with: [0, 0, 0, 0])
        head.replaceSubrange(50..<52, with: [0, 1])
        var hhea = copy("hhea")!
        hhea.replaceSubrange(34..<36, with: [UInt8(count >> 8), UInt8(count & 0xFF)])
        var maxp = copy("maxp")!
        maxp.replaceSubrange(4..<6, with: [UInt8(count >> 8), UInt8(count & 0xFF)])
        var out: [(String, [UInt8])] = [("glyf", newGlyf), ("head", head), ("hhea", hhea), ("hmtx", newHmtx), ("loca", newLoca), ("maxp", maxp)]
        for tag in ["cvt ", "fpgm", "prep"] { if let table = copy(tag) { out.append((tag, table)) } }
        out.sort { $0.0 < $1.0 }
        var file: [UInt8] = []
        Self.put32(&file, 0x0001_0000)
        let n = out.count
        var power = 1, log = 0
        while power * 2 <= n { power *= 2; log += 1 }
        Self.put16(&file, UInt16(n)); Self.put16(&file, UInt16(power * 16)); Self.put16(&file, UInt16(log));
        Self.put16(&file, UInt16(n * 16 - power * 16))
        var offset = 12 + 16 * n
        var body: [UInt8] = []
        var headAt = 0
        for (tag, table) in out {
            file += Array(tag.utf8)
            Self.put32(&file, Self.checksum(table))
            Self.put32(&file, UInt32(offset))
            Self.put32(&file, UInt32(table.count))
            if tag == "head" { headAt = offset }
            var padded = table
            while padded.count % 4 != 0 { padded.append(0) }
            body += padded
            offset += padded.count
        }
        file += body
        let adjustment = 0xB1B0_AFBA &- Self.checksum(file)
        file.replaceSubrange(
            headAt + 8..<headAt + 12,
            with: [UInt8(adjustment >> 24), UInt8((adjustment >> 16) & 0xFF), UInt8((adjustment >> 8) & 0xFF), UInt8(adjustment & 0xFF)])
        return file
    }

    private static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0, i = 0
        while i < bytes.count {
            var word: UInt32 = 0
            for k in 0..<4 { word = word << 8 | UInt32(i + k < bytes.count ? bytes[i + k] : 0) }
            sum = sum &+ word
            i += 4
        }
        return sum
    }

    /// Name id 6 from the `name` table (Windows UTF-16 or Mac Roman record).
    private static func name(_ d: [UInt8], _ table: (offset: Int, length: Int)?) -> String? {
        guard let table, table.length >= 6 else { return nil }
        let count = Int(u16(d, table.offset + 2)), strings = table.offset + Int(u16(d, table.offset + 4))
        for i in 0..<count {
            let r = table.offset + 6 + 12 * i
            guard r + 12 <= table.offset + table.length, u16(d, r + 6) == 6 else { continue }
            let platform = u16(d, r), length = Int(u16(d, r + 8)), at = strings + Int(u16(d, r + 10))
            guard at + length <= d.count else { continue }
            let raw = Array(d[at..<at + length])
            let text: String
            if platform == 3 || platform == 0 {
                var units: [UInt16] = []
                for k in stride(from: 0, to: raw.count - 1, by: 2) { units.append(UInt16(raw[k]) << 8 | UInt16(raw[k + 1])) }
                text = String(decoding: units, as: UTF16.self)
            } else {
                text = String(decoding: raw, as: UTF8.self)
            }
            let clean = sanitized(text)
            if !clean.isEmpty { return clean }
        }
        return nil
    }

    /// Letters, digits, '-' and '_' only (a PDF name without escapes).
    static func sanitized(_ text: String) -> String {
        String(
            text.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }.map(Character.init)
                .prefix(60))
    }

    private static func tag(_ d: [UInt8], _ at: Int) -> String { String(decoding: d[at..<at + 4], as: UTF8.self) }
    static func u16(_ d: [UInt8], _ at: Int) -> UInt16 { at + 2 <= d.count ? UInt16(d[at]) << 8 | UInt16(d[at + 1]) : 0 }
    static func i16(_ d: [UInt8], _ at: Int) -> Int16 { Int16(bitPattern: u16(d, at)) }
    static func u32(_ d: [UInt8], _ at: Int) -> UInt32 { at + 4 <= d.count ? UInt32(u16(d, at)) << 16 | UInt32(u16(d, at + 2)) : 0 }
    private static func put16(_ out: inout [UInt8], _ v: UInt16) { out += [UInt8(v >> 8), UInt8(v & 0xFF)] }
    private static func put32(_ out: inout [UInt8], _ v: UInt32) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
