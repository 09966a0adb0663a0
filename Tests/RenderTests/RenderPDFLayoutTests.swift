import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import TestSupport

/// PDF layout read back with poppler: headers wrap between words only, a table of ≤ 10 rows stays on one
/// page, a longer one repeats its header; the weekly report of `make run`'s samples is at most 8 pages.
@Suite struct RenderPDFLayoutTests {
    static let models = [
        "claude-sonnet-4-6", "gemini-3-pro-preview", "gpt-5.1-codex-max", "claude-haiku-4-5", "deepseek-v3.2-exp",
        "qwen3-coder-plus", "glm-5.1-air-exp", "kimi-k2-thinking", "mistral-large-2512"
    ]

    func document(filler: Int, rows: Int) -> ReportDocument {
        let wide = ReportTable(
            title: "Spend per day by model", columns: [ReportColumn("Day")] + Self.models.map { ReportColumn($0, alignment: .right) },
            rows: (0..<3).map { d in
                [.date(RenderFixtures.day20240101 + Int64(d))] + Self.models.indices.map { .money(Double($0) * 0.01, currency: "USD") }
            })
        let short = ReportTable(
            title: "Short table", columns: [ReportColumn("Row"), ReportColumn("Value", alignment: .right)],
            rows: (1...rows).map { [.text("row-\($0)-end"), .integer(Int64($0))] })
        return ReportDocument(
            title: "Layout", period: ReportPeriod(firstDay: RenderFixtures.day20240101, lastDay: RenderFixtures.day20240101, label: ""),
            sections: [
                ReportSection(title: "Wide", tables: [wide]),
                ReportSection(title: "Filler", paragraphs: (0..<filler).map { "Filler paragraph \($0) with a few words." }, tables: [short])
            ],
            generatedAtMicros: 1_779_372_188_000_000)
    }

    /// pdftotext of each page.
    func pages(_ path: String) throws -> [String] {
        let info = try RenderOracle.run("pdfinfo", [path]).out
        let count = try #require(Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? ""))
        return try (1...count).map { try RenderOracle.run("pdftotext", ["-f", "\($0)", "-l", "\($0)", path, "-"]).out }
    }

    @Test(arguments: [false, true])
    func headersBreakOnlyAfterANamesHyphen(embedded: Bool) throws {
        let dir = TemporaryDirectory("render-pdf-headers")
        defer { dir.remove() }
        let fonts = embedded ? PDFFontSet.resolve(override: nil, environment: [:]).fonts : .standard
        let path = try RenderOracle.save(try PDFWriter(fonts: fonts).write(document(filler: 0, rows: 3)).bytes, "h.pdf", in: dir)
        // Nine long model names as right-aligned headers of one table. poppler's word boxes of the header band
        // (between the "Day" header and the first row), grouped by right edge, read top to bottom, give each
        // name back whole, broken only after a hyphen and never before a piece like "6" or "4-6".
        let bbox = try RenderOracle.run("pdftotext", ["-bbox", path, "-"]).out
        var words: [(text: String, yMin: Double, xMax: Double)] = []
        for line in bbox.split(separator: "\n") where line.contains("<word ") {
            func attribute(_ name: String) -> Double? {
                guard let start = line.range(of: name + "=\"") else { return nil }
                return Double(line[start.upperBound...].prefix { $0 != "\"" })
            }
            guard let y = attribute("yMin"), let x = attribute("xMax"), let open = line.range(of: ">"),
                let close = line.range(of: "</word>")
            else { continue }
            words.append((String(line[open.upperBound..<close.lowerBound]), y, x))
        }
        let top = try #require(words.first { $0.text == "Day" }?.yMin),
            firstRow = try #require(words.first { $0.text == "2024-01-01" && $0.yMin > top }?.yMin)
        let band = words.filter { $0.yMin >= top - 0.5 && $0.yMin < firstRow - 0.5 && $0.text != "Day" }
        var columns: [Int: [(text: String, yMin: Double, xMax: Double)]] = [:]
        for word in band { columns[Int((word.xMax * 2).rounded()), default: []].append(word) }
        let headers = columns.values.map { $0.sorted { $0.yMin < $1.yMin } }
        #expect(Set(headers.map { $0.map(\.text).joined() }) == Set(Self.models), "\(headers.map { $0.map(\.text) })")
        for pieces in headers {
            for piece in pieces.dropLast() { #expect(piece.text.hasSuffix("-"), "\(pieces.map(\.text))") }
            for piece in pieces.dropFirst() { #expect(piece.text.count >= 3 && piece.text.contains(where: \.isLetter), "\(pieces.map(\.text))") }
        }
    }

    @Test func tablesOfTenRowsStayOnOnePageLongerOnesRepeatTheirHeader() throws {
        let dir = TemporaryDirectory("render-pdf-keep")
        defer { dir.remove() }
        // Enough filler that a 10-row table would straddle the page break: it moves whole to the next page.
        for filler in stride(from: 30, through: 50, by: 4) {
            let path = try RenderOracle.save(try PDFWriter().write(document(filler: filler, rows: 10)).bytes, "k\(filler).pdf", in: dir)
            let holding = try pages(path).filter { $0.contains("row-") }
            #expect(holding.count == 1, "filler \(filler): the 10 rows are on \(holding.count) pages")
            #expect((1...10).allSatisfy { holding.first?.contains("row-\($0)-end") == true })
        }
        // 60 rows: split, and every page holding rows starts them under the header.
        let path = try RenderOracle.save(try PDFWriter().write(document(filler: 30, rows: 60)).bytes, "long.pdf", in: dir)
        let holding = try pages(path).filter { $0.contains("row-") }
        #expect(holding.count >= 2)
        #expect(holding.dropFirst().allSatisfy { $0.contains("Short table (continued)") && $0.contains("Row") && $0.contains("Value") })
    }

    @Test func weeklySampleReportIsAtMostEightPagesWithEmbeddedFonts() throws {
        let dir = TemporaryDirectory("render-pdf-weekly-pages")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        #expect(run.code == .warnings || run.code == .success, "\(run.text)")
        let weekly = try #require(try FileManager.default.contentsOfDirectory(atPath: run.out).first { $0.hasPrefix("weekly-") })
        let path = run.out + "/" + weekly + "/report.pdf"
        let check = try RenderOracle.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.out) \(check.err)")
        let texts = try pages(path)
        #expect(texts.count <= 8, "the weekly sample report has \(texts.count) pages")
        // Page 1: the headline numbers and the summary table.
        #expect(texts[0].contains("Headline numbers") && texts[0].contains("Previous period"))
        let fonts = try RenderOracle.run("pdffonts", [path]).out
        #expect(fonts.contains("+DejaVuSans ") && fonts.contains("CID TrueType"), "\(fonts)")
    }
}
