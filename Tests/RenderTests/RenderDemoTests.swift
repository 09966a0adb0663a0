import Foundation
import Testing
@testable import Render
@testable import Reports
@testable import TestSupport

/// Renders the sample report to every format under `.build/render-demo/` so a person can look at it
/// (`swift test --filter RenderDemoTests`); also checks the bundle writes what it says.
@Suite struct RenderDemoTests {
    @Test func rendersSampleToEveryFormat() throws {
        let directory = PythonOracle.repositoryRoot.appendingPathComponent(".build/render-demo").path
        let mail = ReportBundle.Mail(
            from: MailAddress("reports@example.com", name: "Home Base"),
            to: [MailAddress("ops@example.com", name: "Opérations")])
        let bundle = ReportBundle(pageSize: .a4, mail: mail, seed: 7)
        let plain = try bundle.write(ReportSample.document(), formats: ReportFormat.allCases, directory: directory, name: "sample")
        let hostile = try ReportBundle(pageSize: .letter, mail: mail, seed: 8)
            .write(ReportSample.document(hostile: true), formats: ReportFormat.allCases, directory: directory, name: "hostile")
        // 4 files (html, pdf, xlsx, eml) + one CSV per table: 2 chart tables + 2 section tables.
        #expect(plain.files.count == 4 + 4)
        #expect(hostile.files.count == 4 + 4)
        #expect(plain.warnings.isEmpty)
        // The hostile sample holds 日本語 and 📈 (4 characters WinAnsi cannot show), which must be reported.
        #expect(hostile.warnings.count == 1)
        // Each file is what its name says, judged by its first bytes (not merely present).
        for file in plain.files + hostile.files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            let head = String(decoding: bytes.prefix(512), as: UTF8.self)
            switch (file as NSString).pathExtension {
            case "pdf": #expect(head.hasPrefix("%PDF-1.") && String(decoding: bytes.suffix(32), as: UTF8.self).contains("%%EOF"), "\(file)")
            case "xlsx": #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "\(file)")
            case "html": #expect(head.lowercased().contains("<html") && head.lowercased().hasPrefix("<!doctype html"), "\(file)")
            case "eml": #expect(head.contains("MIME-Version: 1.0") && head.contains("ops@example.com"), "\(file)")
            case "csv": #expect(bytes.count > 0 && !head.hasPrefix(","), "\(file)")
            default: Issue.record("unexpected file \(file)")
            }
        }
    }

    /// Prints how long a big report takes to render (the times are not asserted), and checks the
    /// outputs hold the whole table.
    @Test func measuresABigReport() throws {
        let document = ReportSample.document(longTableRows: 5000)
        let clock = ContinuousClock()
        var pdf: PDFWriter.Output?
        let pdfTime = try clock.measure { pdf = try PDFWriter().write(document) }
        var xlsx: [UInt8] = []
        let xlsxTime = try clock.measure { xlsx = try XLSXWriter().write(document.allTables, title: "big", createdMicros: 0) }
        var csvBytes = 0
        let csvTime = try clock.measure { for table in document.allTables { csvBytes += try CSVWriter().write(table).count } }
        var html = ""
        let htmlTime = try clock.measure { html = try HTMLRenderer().render(document) }
        print(
            "render 5000-row agent table: PDF \(pdfTime) (\(pdf?.pageCount ?? 0) pages, \(pdf?.bytes.count ?? 0) bytes);",
            "XLSX \(xlsxTime) (\(xlsx.count) bytes); CSV \(csvTime) (\(csvBytes) bytes); HTML \(htmlTime) (\(html.utf8.count) bytes)")
        // What came out, read by others: the PDF's own page objects, openpyxl's row count of the
        // longest sheet, the HTML's table rows; each must hold the 5,000 rows.
        let pdfBytes = pdf?.bytes ?? []
        let pdfFile = try Self.temporary(pdfBytes, "big.pdf"), xlsxFile = try Self.temporary(xlsx, "big.xlsx")
        defer { try? FileManager.default.removeItem(atPath: pdfFile); try? FileManager.default.removeItem(atPath: xlsxFile) }
        let pageObjects = try PythonOracle.run(
            """
            import sys, re
            data = open(sys.argv[1], 'rb').read()
            print(len(re.findall(rb'/Type\\s*/Page(?![a-zA-Z])', data)))
            """, [pdfFile])
        #expect(Int(pageObjects.trimmingCharacters(in: .whitespacesAndNewlines)) == pdf?.pageCount && (pdf?.pageCount ?? 0) > 50, "\(pageObjects)")
        let rows = try PythonOracle.run(
            """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
            print(max(ws.max_row for ws in wb.worksheets))
            """, [xlsxFile])
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == "5001", "\(rows)")
        #expect(html.components(separatedBy: "<tr").count - 1 >= 5001)
    }

    static func temporary(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("render-demo-\(getpid())-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
