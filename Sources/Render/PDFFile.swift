import HomeBaseCore
import Codecs
/// The PDF container: numbered objects, streams with exact lengths, a one-subsection xref of 20-byte
/// entries, trailer and startxref. Offsets come from the byte array, never from String lengths.
package struct PDFFile {
    private var objects: [[UInt8]?] = []

    package init() {}

    /// Reserves the next object number (1, 2, …) so objects can point at each other before they exist.
    package mutating func reserve() -> Int {
        objects.append(nil)
        return objects.count
    }

    /// Sets object `number`'s body (what goes between `N 0 obj` and `endobj`).
    package mutating func set(_ number: Int, _ body: String) { objects[number - 1] = Array(body.utf8) }

    /// Sets object `number` to a Flate-compressed stream of `data`, with `extra` dictionary entries.
    package mutating func setStream(_ number: Int, _ data: [UInt8], extra: String = "") throws(RenderError) {
        let packed = try Zlib.pack(data, framing: .zlib)
        var body = Array(("<< /Length \(packed.count) /Filter /FlateDecode" + (extra.isEmpty ? "" : " " + extra) + " >>\nstream\n").utf8)
        body += packed
        body += Array("\nendstream".utf8)
        objects[number - 1] = body
    }

    /// The file: header with a binary comment, objects, xref, trailer (`/Root` is object `root`).
    package func bytes(root: Int, info: Int?) throws(RenderError) -> [UInt8] {
        var out = Array("%PDF-1.7\n".utf8) + [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            guard let body else { throw RenderError("PDF object \(index + 1) was reserved but never written") }
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8)
            out += body
            out += Array("\nendobj\n".utf8)
        }
        // /ID: two FNV-1a hashes of the body, so the same document always gets the same id.
        var first = FNV1a(), second = FNV1a()
        first.add(out)
        second.add("homebase-pdf-id")
        second.add(out)
        let id = hex(first.value) + hex(second.value)
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(root) 0 R" + (info.map { " /Info \($0) 0 R" } ?? "")
        table += " /ID [<\(id)> <\(id)>] >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return out
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A text string for /Info and outline titles: a literal when printable ASCII, else UTF-16BE hex with a BOM.
    package static func textString(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return String(decoding: PDFCanvas.literal(Array(text.utf8)), as: UTF8.self)
        }
        var hex = "<FEFF"
        for unit in text.utf16 {
            let digits = String(unit, radix: 16, uppercase: true)
            hex += String(repeating: "0", count: 4 - digits.count) + digits
        }
        return hex + ">"
    }

    /// `(D:YYYYMMDDHHmmSSZ)` for epoch microseconds UTC.
    package static func date(micros: Int64) -> String {
        let iso = UTCDate.isoString(micros: micros)  // YYYY-MM-DDTHH:MM:SS.ffffffZ
        let digits = iso.prefix(19).filter { $0.isNumber }
        return "(D:" + digits + "Z)"
    }
}
