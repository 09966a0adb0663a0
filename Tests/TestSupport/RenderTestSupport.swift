import Foundation
import Testing
@testable import SQLiteStore
@testable import Render

/// External oracles for the render tests (qpdf, poppler's pdftotext/pdfinfo). A missing tool is a
/// failure with the fix in the message, never a skip.
enum RenderOracle {
    struct Missing: Error, CustomStringConvertible {
        var tool: String
        var description: String { "\(tool) is not installed: run `make deps` (apt packages qpdf and poppler-utils)" }
    }

    /// Runs `/usr/bin/<tool>` and returns (status, stdout, stderr).
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let path = "/usr/bin/" + tool
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(tool: tool) }
        let (status, out, err) = PythonOracle.launch(path, arguments, stdin: nil)
        return (status, out, err)
    }

    /// Writes `bytes` to a fresh temporary file named `name` and returns its path (in `directory`).
    static func save(_ bytes: [UInt8], _ name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// A small table with one cell of every type, used by several suites.
enum RenderFixtures {
    /// 2024-01-01 is day 19723 since 1970-01-01 (54 years: 13 leap days → 54·365 + 13 = 19723).
    static let day20240101: Int64 = 19_723

    static let typed = ReportTable(
        title: "Typed cells",
        columns: [
            ReportColumn("Name"), ReportColumn("Count", alignment: .right), ReportColumn("Cost", alignment: .right),
            ReportColumn("Share", alignment: .right), ReportColumn("Ratio", alignment: .right),
            ReportColumn("Day"), ReportColumn("At")
        ],
        rows: [
            [
                .text("alpha"), .integer(42), .money(1234.5, currency: "USD"), .percent(0.125, places: 1), .decimal(-0.5, places: 3),
                .date(day20240101), .timestamp((day20240101 * 86_400 + 18 * 3600) * 1_000_000)
            ],
            [
                .text("say \"hi\", then\nleave"), .integer(-7), .money(-12.5, currency: "EUR"), .percent(1, places: 0), .decimal(3.14159, places: 2),
                .date(day20240101 + 31), .empty
            ]
        ])
}
