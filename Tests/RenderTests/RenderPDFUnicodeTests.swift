import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import Reports
@testable import HomeBaseCLI
@testable import TestSupport

/// Embedded TrueType subsets (DejaVu Sans + Droid Sans Fallback from `make deps`): CJK, Greek and
/// Cyrillic come back from pdftotext exactly, pdffonts lists the fonts as embedded CID TrueType, qpdf
/// accepts the file; a missing font falls back to Helvetica with one warning.
@Suite struct RenderPDFUnicodeTests {
    static let cjk = "500 请求错误(状态码: 500)"
    static let greek = "Καλημέρα κόσμε"
    static let cyrillic = "Привет, мир"

    func document() -> ReportDocument {
        let table = ReportTable(
            title: "Errors", columns: [ReportColumn("Message"), ReportColumn("Agent"), ReportColumn("Count", alignment: .right)],
            rows: [
                [.text(Self.cjk), .text("wechat-assistant"), .integer(12)],
                [.text(Self.greek), .text("αθήνα-bot"), .integer(3)],
                [.text(Self.cyrillic), .text("москва-bot"), .integer(1)]
            ])
        return ReportDocument(
            title: "Ünïcode report 报告", period: ReportPeriod(firstDay: RenderFixtures.day20240101, lastDay: RenderFixtures.day20240101, label: ""),
            sections: [
                ReportSection(
                    title: "Text", paragraphs: ["Top error: " + Self.cjk + " — " + Self.greek + " / " + Self.cyrillic],
                    tables: [table])
            ],
            generatedAtMicros: 1_779_372_188_000_000)
    }

    func systemFonts() throws -> PDFFontSet {
        let (fonts, warning) = PDFFontSet.resolve(override: nil, environment: [:])
        try #require(fonts.isEmbedded, "no embedded font: \(warning ?? "") (run `make deps`: fonts-dejavu-core, fonts-droid-fallback)")
        return fonts
    }

    @Test func cjkGreekAndCyrillicComeBackFromPdftotext() throws {
        let dir = TemporaryDirectory("render-pdf-unicode")
        defer { dir.remove() }
        let output = try PDFWriter(fonts: try systemFonts()).write(document())
        #expect(output.replacedCharacters == 0)
        let path = try RenderOracle.save(output.bytes, "u.pdf", in: dir)
        let check = try RenderOracle.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.out) \(check.err)")
        #expect(check.out.contains("No syntax or stream encoding errors found"))
        #expect(check.err.isEmpty, "\(check.err)")

        let text = try RenderOracle.run("pdftotext", ["-enc", "UTF-8", path, "-"])
        #expect(text.status == 0)
        #expect(text.err.isEmpty, "\(text.err)")
        for expected in [Self.cjk, Self.greek, Self.cyrillic, "wechat-assistant", "αθήνα-bot", "москва-bot", "Ünïcode report 报告"] {
            #expect(text.out.contains(expected), "pdftotext lacks \(expected): \(text.out)")
        }

        // pdffonts: name, type, encoding, emb, sub, uni columns; both faces embedded as subsets with ToUnicode.
        let fonts = try RenderOracle.run("pdffonts", [path])
        #expect(fonts.status == 0)
        let rows = fonts.out.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.contains { $0[0].hasSuffix("+DejaVuSans") && $0[0].count == "ABCDEF+DejaVuSans".count }, "\(fonts.out)")
        #expect(rows.contains { $0[0].hasSuffix("+DejaVuSans-Bold") }, "\(fonts.out)")
        #expect(rows.contains { $0[0].contains("+DroidSansFallback") }, "\(fonts.out)")
        for row in rows {
            #expect(row[1...3] == ["CID", "TrueType", "Identity-H"], "\(row)")
            #expect(row[4...6] == ["yes", "yes", "yes"], "emb/sub/uni: \(row)")
        }
        #expect(!fonts.out.contains("Helvetica"))
    }

    @Test func latinTextStillReadsAndSameInputGivesSameBytes() throws {
        let dir = TemporaryDirectory("render-pdf-unicode-sample")
        defer { dir.remove() }
        let fonts = try systemFonts()
        let sample = ReportSample.document(hostile: true)
        let output = try PDFWriter(pageSize: .letter, fonts: fonts).write(sample)
        #expect(try PDFWriter(pageSize: .letter, fonts: fonts).write(sample).bytes == output.bytes)
        let path = try RenderOracle.save(output.bytes, "s.pdf", in: dir)
        let check = try RenderOracle.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.out) \(check.err)")
        let text = try RenderOracle.run("pdftotext", ["-enc", "UTF-8", path, "-"])
        #expect(text.out.contains("Fleet report <script>alert(1)</script>"))
        #expect(text.out.contains("a)b\\(c"))
        #expect(text.out.contains("Zoë – “quoted” €5"))
    }

    @Test func missingFontFallsBackToHelveticaWithOneWarning() throws {
        let (fonts, warning) = PDFFontSet.resolve(override: "/nonexistent/font.ttf", environment: [:])
        #expect(!fonts.isEmbedded)
        #expect(warning?.contains("/nonexistent/font.ttf") == true)
        #expect(warning?.contains("standard fonts") == true)
        // HOMEBASE_FONT wins over the config's reports.font.
        let (fromEnvironment, envWarning) = PDFFontSet.resolve(override: PDFFontSet.regularPath, environment: ["HOMEBASE_FONT": "/nope.ttf"])
        #expect(!fromEnvironment.isEmbedded)
        #expect(envWarning?.contains("/nope.ttf") == true)
        let (standard, none) = PDFFontSet.resolve(override: "standard", environment: [:])
        #expect(!standard.isEmbedded && none == nil)
        // A file that is not a font names itself and the fix.
        let dir = TemporaryDirectory("render-pdf-unicode-bad")
        defer { dir.remove() }
        let bad = try RenderOracle.save(Array("not a font at all".utf8), "bad.ttf", in: dir)
        let (_, badWarning) = PDFFontSet.resolve(override: bad, environment: [:])
        #expect(badWarning?.contains(bad) == true && badWarning?.contains(".ttf") == true)
    }

    @Test func bundleEmbedsTheSystemFontAndWarnsWhenTold() throws {
        _ = try systemFonts()
        let dir = TemporaryDirectory("render-pdf-unicode-bundle")
        defer { dir.remove() }
        var bundle = ReportBundle()
        let embedded = try bundle.write(document(), formats: [.pdf], directory: dir.path, name: "u")
        #expect(embedded.warnings.isEmpty, "\(embedded.warnings)")
        let text = try RenderOracle.run("pdftotext", ["-enc", "UTF-8", dir.file("u.pdf"), "-"])
        #expect(text.out.contains(Self.cjk))
        bundle.font = "/nonexistent/font.ttf"
        let fallback = try bundle.write(document(), formats: [.pdf], directory: dir.path, name: "v")
        #expect(fallback.warnings.filter { $0.contains("/nonexistent/font.ttf") }.count == 1, "\(fallback.warnings)")
        #expect(fallback.warnings.contains { $0.contains("printed as '?'") })
    }

    /// The daily report of the sample data on 2026-05-21 lists the top error messages; one is the Chinese
    /// gateway error of the issue, which the PDF shows and pdftotext gives back exactly.
    @Test func dailySampleReportShowsTheChineseErrorMessage() throws {
        let dir = TemporaryDirectory("render-pdf-unicode-daily")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        let code = try ReportCommand(clock: { 1_782_871_200_000_000 }).run(
            [
                "--config", run.config, "--definition", "daily", "--to", "2026-05-21",
                "--formats", "pdf", "--out", dir.path + "/daily"
            ], console: Console.capturing())
        #expect(code == .success || code == .warnings)
        let path = dir.path + "/daily/daily-2026-05-21/report.pdf"
        let text = try RenderOracle.run("pdftotext", ["-enc", "UTF-8", path, "-"])
        #expect(text.out.contains("Top error messages"))
        #expect(text.out.contains(Self.cjk), "\(text.out)")
        let fonts = try RenderOracle.run("pdffonts", [path]).out
        #expect(fonts.contains("+DroidSansFallback") && fonts.contains("+DejaVuSans "), "\(fonts)")
        #expect(try RenderOracle.run("qpdf", ["--check", path]).status == 0)
    }
}
