import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Render
@testable import Reports
@testable import TestSupport

/// Report definitions in reports/*.json: the shipped ones load; mistakes are named; query blocks type
/// their columns and build charts.
@Suite struct RenderDefinitionTests {
    @Test func shippedDefinitionsLoad() throws {
        let directory = PythonOracle.repositoryRoot.appendingPathComponent("reports").path
        let all = try ReportDefinition.loadAll(directory: directory)
        #expect(all.map(\.name) == ["daily", "monthly-finance", "weekly"])
        let weekly = try #require(all.last)
        #expect(weekly.period == .weekly)
        #expect(weekly.formats == ReportFormat.allCases)
        #expect(weekly.sections.first == .init(title: "Summary", blocks: [.analysis("headline")], omitWhenEmpty: false))
        #expect(weekly.sections[1] == .init(title: "Spend", blocks: [.analysis("spend_by_model"), .analysis("spend_by_agent")], omitWhenEmpty: false))
        #expect(weekly.mail?.to == ["ops@localhost"])
        #expect(all[1].pageSize == .letter)
    }

    func parse(_ text: String) throws -> ReportDefinition {
        try ReportDefinition.parse(try JSONValue.parse(text), name: "t")
    }

    @Test func mistakesAreNamed() {
        func message(_ text: String) -> String {
            do { _ = try parse(text); return "" } catch { return (error as? RenderError)?.message ?? "\(error)" }
        }
        #expect(message(#"{"sections": [{"title": "A", "show": "spend"}]}"#).hasPrefix("sections[0]: unknown block 'spend'"))
        #expect(message(#"{"sections": [{"title": "A", "show": "latency"}], "perod": "daily"}"#).hasPrefix("report: unknown key 'perod'"))
        #expect(message(#"{"period": "hourly", "sections": [{"title": "A", "show": "latency"}]}"#).hasPrefix("period 'hourly'"))
        #expect(message(#"{"sections": []}"#) == "'sections' must be a non-empty array")
        #expect(message(#"{"sections": [{"title": "A"}]}"#) == "sections[0]: needs 'show' (analysis blocks) or 'query'")
        #expect(message(#"{"formats": ["pdf", "doc"], "sections": [{"title": "A", "show": "latency"}]}"#).hasPrefix("unknown format 'doc'"))
        #expect(
            message(#"{"sections": [{"title": "A", "query": {"file": "q.sql", "chart": "bars"}}]}"#)
                == "sections[0].query: a chart needs 'x' and 'y' columns")
        #expect(message(#"{"sections": [{"title": "A", "show": "latency"}]}"#) == "")
    }

    @Test func queryBlockTypesCellsAndBuildsAChart() throws {
        let definition = try parse(
            #"""
            {"sections": [{"title": "Top", "query": {"file": "queries/top.sql", "types": {"cost": "money", "calls": "integer", "day": "date"},
              "chart": "bars", "x": "agent", "y": ["cost"]}}]}
            """#)
        guard case let .query(block) = try #require(definition.sections.first?.blocks.first) else {
            Issue.record("expected a query block")
            return
        }
        #expect(block.title == "top")
        let table = try block.table(columns: ["agent", "day", "calls", "cost"], rows: [["ops", "2026-05-01", "12", "3.5"], ["=cmd", nil, "-1", "0"]])
        #expect(table.rows[0] == [.text("ops"), .date(UTCDate.days(year: 2026, month: 5, day: 1)), .integer(12), .money(3.5, currency: "USD")])
        #expect(table.rows[1] == [.text("=cmd"), .empty, .integer(-1), .money(0, currency: "USD")])
        #expect(table.columns.map(\.alignment) == [.left, .left, .right, .right])
        let chart = try #require(try block.chart(for: table))
        #expect(chart.xLabels == ["ops", "=cmd"])
        #expect(chart.stackedBars == [ChartSeries(name: "cost", values: [3.5, 0])])
        // "1.5" is not an integer: refused with the file, row and column named.
        let error = #expect(throws: RenderError.self) { try block.table(columns: ["agent", "day", "calls", "cost"], rows: [["a", nil, "1.5", "1"]]) }
        #expect(error?.message.contains("row 1, column 'calls': '1.5' is not a integer") == true, "\(String(describing: error))")
    }
}
