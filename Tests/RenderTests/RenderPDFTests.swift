import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import TestSupport

/// PDFWriter against qpdf (structure, streams, outline), poppler's pdftotext/pdfinfo (text and numbers
/// back, page size, glyph widths), and a byte-level check of the xref written here.
@Suite struct RenderPDFTests {
    func render(_ document: ReportDocument, _ size: PDFWriter.PageSize = .a4, in dir: TemporaryDirectory) throws -> (String, PDFWriter.Output) {
        let output = try PDFWriter(pageSize: size).write(document)
        return (try RenderOracle.save(output.bytes, "r.pdf", in: dir), output)
    }

    func tiny(_ paragraph: String, title: String = "Tiny") -> ReportDocument {
        ReportDocument(
            title: title, period: ReportPeriod(firstDay: RenderFixtures.day20240101, lastDay: RenderFixtures.day20240101, label: ""),
            sections: [ReportSection(title: "Text", paragraphs: [paragraph])], generatedAtMicros: 1_779_372_188_000_000)
    }

    @Test(arguments: [PDFWriter.PageSize.a4, .letter])
    func samplePassesQpdfAndGivesItsNumbersBack(size: PDFWriter.PageSize) throws {
        let dir = TemporaryDirectory("render-pdf")
        defer { dir.remove() }
        let document = ReportSample.document()
        let (path, output) = try render(document, size, in: dir)
        let check = try RenderOracle.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.out) \(check.err)")
        #expect(check.out.contains("No syntax or stream encoding errors found"))
        #expect(check.err.isEmpty)

        let info = try RenderOracle.run("pdfinfo", [path])
        #expect(info.status == 0)
        #expect(info.out.contains("Pages:           \(output.pageCount)\n"))
        #expect(info.out.contains(size == .a4 ? "595.28 x 841.89 pts (A4)" : "612 x 792 pts (letter)"))
        #expect(info.out.contains("Title:           Home Base weekly report"))

        let text = try RenderOracle.run("pdftotext", [path, "-"])
        #expect(text.status == 0)
        #expect(text.err.isEmpty, "\(text.err)")
        // Every number of every table comes back, as the reader sees it.
        var missing: [String] = []
        for table in document.allTables {
            for row in table.rows {
                for cell in row where cell.isNumeric && !text.out.contains(cell.displayText) { missing.append(cell.displayText) }
            }
        }
        #expect(missing.isEmpty, "numbers not found by pdftotext: \(missing.prefix(10))")
        for metric in document.metrics { #expect(text.out.contains(metric.valueText)) }
        for page in 1...output.pageCount { #expect(text.out.contains("Page \(page) of \(output.pageCount)")) }
        // The 90-row agent table breaks across pages and repeats its header.
        #expect(text.out.contains("Agents (continued)"))
        #expect(text.out.components(separatedBy: "Spend vs budget").count - 1 >= 2)
        #expect(output.replacedCharacters == 0)
    }

    @Test func outlineHasOneBookmarkPerSectionOnTheRightPage() throws {
        let dir = TemporaryDirectory("render-pdf-outline")
        defer { dir.remove() }
        let (path, _) = try render(ReportSample.document(), in: dir)
        let json = try RenderOracle.run("qpdf", ["--json", "--json-key=outlines", path])
        #expect(json.status == 0)
        let out = try PythonOracle.run(
            """
            import json, sys
            data = json.loads(sys.stdin.read())
            print(json.dumps([[o["title"], o["destpageposfrom1"]] for o in data["outlines"]]))
            """, stdin: Data(json.out.utf8))
        let items = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[Any]])
        #expect(items.map { $0[0] as? String } == ["Summary", "Spend", "Latency", "Errors and agents"])
        // Sections flow (Spend starts on page 1 below the cover): each bookmark points at the first page where pdftotext finds the section's title
        // as a line of its own (the cover is "Summary", on page 1).
        let pages = try #require(
            Int(
                try RenderOracle.run("pdfinfo", [path]).out.split(separator: "\n")
                    .first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? ""))
        var firstPage: [String: Int] = ["Summary": 1]
        for page in 1...pages {
            let text = try RenderOracle.run("pdftotext", ["-f", "\(page)", "-l", "\(page)", path, "-"]).out
            for title in ["Spend", "Latency", "Errors and agents"]
            where firstPage[title] == nil
                && text.split(separator: "\n").contains(Substring(title))
            { firstPage[title] = page }
        }
        #expect(items.map { $0[1] as? Int } == items.map { firstPage[$0[0] as? String ?? ""] })
    }

    @Test func textIsEscapedAndEncodedAsWinAnsi() throws {
        let dir = TemporaryDirectory("render-pdf-text")
        defer { dir.remove() }
        let tricky = "Café €5 — “quoted” (paren) a)b back\\slash ½ Œuvre"
        let (path, output) = try render(tiny(tricky + " | 日本 📈 č ł"), in: dir)
        let check = try RenderOracle.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.out) \(check.err)")
        let text = try RenderOracle.run("pdftotext", [path, "-"])
        #expect(text.err.isEmpty)
        #expect(text.out.contains(tricky))
        // 日, 本 and 📈 have no WinAnsi code and no plain stand-in: "?" each, counted; č → c and ł → l.
        #expect(text.out.contains("| ?? ? c l"))
        #expect(output.replacedCharacters == 3)
    }

    @Test func hostileSampleIsValidAndShowsItsText() throws {
        let dir = TemporaryDirectory("render-pdf-hostile")
        defer { dir.remove() }
        let (path, _) = try render(ReportSample.document(hostile: true), .letter, in: dir)
        let check = try RenderOracle.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.out) \(check.err)")
        let text = try RenderOracle.run("pdftotext", [path, "-"])
        #expect(text.err.isEmpty)
        #expect(text.out.contains("Fleet report <script>alert(1)</script>"))
        #expect(text.out.contains("a)b\\(c"))
        #expect(text.out.contains("Zoë – “quoted” €5"))
    }

    @Test func glyphWidthsMatchPopplersBoundingBoxes() throws {
        let dir = TemporaryDirectory("render-pdf-bbox")
        defer { dir.remove() }
        // Title "Hello" in Helvetica-Bold 20 pt: H 722 + e 556 + l 278 + l 278 + o 611 = 2445/1000 em → 48.90 pt.
        #expect(abs(HelveticaMetrics.width("Hello", bold: true, size: 20) - 48.9) < 1e-9)
        // Paragraph "Wavy" in Helvetica 9.5 pt: W 944 + a 556 + v 500 + y 500 = 2500/1000 em → 23.75 pt.
        #expect(abs(HelveticaMetrics.width("Wavy", bold: false, size: 9.5) - 23.75) < 1e-9)
        let (path, _) = try render(tiny("Wavy", title: "Hello"), in: dir)
        let bbox = try RenderOracle.run("pdftotext", ["-bbox", path, "-"])
        #expect(bbox.err.isEmpty)
        func widths(of word: String) -> [Double] {
            bbox.out.split(separator: "\n").filter { $0.hasSuffix(">" + word + "</word>") }.compactMap { line in
                func attribute(_ name: String) -> Double? {
                    guard let start = line.range(of: name + "=\"") else { return nil }
                    return Double(line[start.upperBound...].prefix { $0 != "\"" })
                }
                guard let lo = attribute("xMin"), let hi = attribute("xMax") else { return nil }
                return hi - lo
            }
        }
        #expect(widths(of: "Hello").contains { abs($0 - 48.9) < 0.01 }, "\(widths(of: "Hello"))")
        #expect(widths(of: "Wavy").contains { abs($0 - 23.75) < 0.01 }, "\(widths(of: "Wavy"))")
    }

    @Test func xrefIsExactAndOutputIsDeterministic() throws {
        let document = ReportSample.document(longTableRows: 10)
        let bytes = try PDFWriter().write(document).bytes
        #expect(try PDFWriter().write(document).bytes == bytes)
        #expect(Array(bytes.prefix(9)) == Array("%PDF-1.7\n".utf8))
        #expect(Array(bytes.suffix(6)) == Array("%%EOF\n".utf8))
        // startxref names the offset of "xref"; each of its entries is 20 bytes and lands on "N 0 obj".
        let tail = String(decoding: bytes.suffix(40), as: UTF8.self)
        let lines = tail.split(separator: "\n")
        let startxref = try #require(lines.firstIndex(of: "startxref").flatMap { Int(lines[$0 + 1]) })
        #expect(Array(bytes[startxref..<startxref + 5]) == Array("xref\n".utf8))
        let header = String(decoding: bytes[(startxref + 5)...].prefix(20), as: UTF8.self)
        let count = try #require(Int(header.split(separator: "\n")[0].split(separator: " ")[1]))
        var entryStart = startxref + 5 + header.split(separator: "\n")[0].utf8.count + 1
        #expect(Array(bytes[entryStart..<entryStart + 20]) == Array("0000000000 65535 f \n".utf8))
        for number in 1..<count {
            entryStart += 20
            let entry = String(decoding: bytes[entryStart..<entryStart + 20], as: UTF8.self)
            #expect(entry.hasSuffix(" 00000 n \n"))
            let offset = try #require(Int(entry.prefix(10)))
            let target = Array("\(number) 0 obj\n".utf8)
            #expect(Array(bytes[offset..<offset + target.count]) == target, "object \(number)")
        }
        let trailer = String(decoding: bytes[(entryStart + 20)...], as: UTF8.self)
        #expect(trailer.hasPrefix("trailer\n<< /Size \(count) /Root 1 0 R"))
    }

    @Test func numbersNeverUseExponents() {
        #expect(PDFCanvas.number(0.000001) == "0")
        #expect(PDFCanvas.number(-0.001) == "0")
        #expect(PDFCanvas.number(1e21) == "1000000000000000000000")
        #expect(PDFCanvas.number(12.345) == "12.35" || PDFCanvas.number(12.345) == "12.34")  // binary 12.345 is below or above
        #expect(PDFCanvas.number(595.28) == "595.28")
        #expect(PDFCanvas.number(10.50) == "10.5")
    }

    @Test func literalStringsEscapeDelimitersAndHighBytes() {
        // "a(b)\" then é (0xE9 = octal 351) and a newline (octal 012).
        let bytes = Array("a(b)\\".utf8) + [0xE9, 0x0A]
        #expect(String(decoding: PDFCanvas.literal(bytes), as: UTF8.self) == "(a\\(b\\)\\\\\\351\\012)")
    }
}
