import Foundation
import Testing
@testable import HomeBase
import TestSupport

/// Renders the sample report to every format under `.build/render-demo/` so a person can look at it
/// (`swift test --filter RenderDemoTests`); also checks the bundle writes what it says.
@Suite struct RenderDemoTests {
    @Test func rendersSampleToEveryFormat() throws {
        let directory = PythonOracle.repositoryRoot.appendingPathComponent(".build/render-demo").path
        let mail = ReportBundle.Mail(from: MailAddress("reports@example.com", name: "Home Base"),
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
        for file in plain.files + hostile.files { #expect(FileManager.default.fileExists(atPath: file)) }
    }
}
