import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import TestSupport

/// CSVWriter against Python's csv module: round trip, quoting, CRLF, BOM, formula neutralising.
@Suite struct RenderCSVTests {
    /// Parses CSV bytes (from stdin) with csv.reader(newline='') and prints the rows as JSON.
    static let reader = """
        import csv, io, json, sys
        data = sys.stdin.buffer.read()
        text = data.decode(sys.argv[1])
        print(json.dumps(list(csv.reader(io.StringIO(text, newline='')))))
        """

    func parse(_ bytes: [UInt8], encoding: String = "utf-8") throws -> [[String]] {
        let out = try PythonOracle.run(Self.reader, [encoding], stdin: Data(bytes))
        return try JSONDecoder().decode([[String]].self, from: Data(out.utf8))
    }

    @Test func typedTableRoundTripsThroughPythonCSV() throws {
        let bytes = try CSVWriter().write(RenderFixtures.typed)
        let rows = try parse(bytes)
        #expect(
            rows == [
                ["Name", "Count", "Cost", "Share", "Ratio", "Day", "At"],
                // percent 0.125 with 1 place → fraction with 3 places; 2024-01-01 18:00 UTC.
                ["alpha", "42", "1234.50", "0.125", "-0.500", "2024-01-01", "2024-01-01T18:00:00Z"],
                ["say \"hi\", then\nleave", "-7", "-12.50", "1.00", "3.14", "2024-02-01", ""]
            ])
        let text = String(decoding: bytes, as: UTF8.self)
        // Every record ends in CRLF; numbers are bare, text quoted.
        #expect(text.hasPrefix("\"Name\",\"Count\""))
        #expect(text.contains("\"alpha\",42,1234.50,0.125,-0.500,2024-01-01,2024-01-01T18:00:00Z\r\n"))
        #expect(text.hasSuffix("\r\n"))
        #expect(text.replacingOccurrences(of: "\r\n", with: "").filter { $0 == "\r" }.isEmpty)
    }

    @Test func formulaInjectionIsNeutralisedButNumbersStayNumbers() throws {
        let inputs = ["=HYPERLINK(\"http://x\")", "+33 6 12", "-1+2", "@SUM(A1)", "\tTab", "\rCR", "\nLF", "-7", "+3.5e2", "plain", "a=b"]
        let table = ReportTable(
            title: "t", columns: [ReportColumn("text"), ReportColumn("number")],
            rows: inputs.enumerated().map { [.text($0.element), .decimal(-Double($0.offset) - 0.25, places: 2)] })
        let rows = try parse(try CSVWriter().write(table))
        let expected = ["'=HYPERLINK(\"http://x\")", "'+33 6 12", "'-1+2", "'@SUM(A1)", "'\tTab", "'\rCR", "'\nLF", "-7", "+3.5e2", "plain", "a=b"]
        #expect(rows.dropFirst().map { $0[0] } == expected)
        // Negative numbers are numbers: -0.25, -1.25, … never prefixed.
        #expect(rows.dropFirst().map { $0[1] } == inputs.indices.map { "-" + String($0) + ".25" })
        #expect(rows.allSatisfy { $0.count == 2 })
        let off = try parse(try CSVWriter(neutraliseFormulas: false).write(table))
        #expect(off.dropFirst().map { $0[0] } == inputs)
    }

    @Test func byteOrderMarkIsOptional() throws {
        let table = ReportTable(title: "t", columns: [ReportColumn("naïve")], rows: [[.text("Zoë – €")]])
        let withBOM = try CSVWriter(byteOrderMark: true).write(table)
        #expect(Array(withBOM.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(try parse(withBOM, encoding: "utf-8-sig") == [["naïve"], ["Zoë – €"]])
        #expect(try parse(try CSVWriter().write(table)) == [["naïve"], ["Zoë – €"]])
    }

    @Test func numericLiteralRecogniser() {
        for yes in ["-7", "+3", "3.", ".5", "1e10", "-2.5E-3", "0"] { #expect(CSVWriter.isNumericLiteral(yes), "\(yes)") }
        for no in ["", "-", ".", "e5", "1e", "-1+2", "1,5", " 1", "0x10", "--1"] { #expect(!CSVWriter.isNumericLiteral(no), "\(no)") }
    }

    @Test func ragged_rows_are_refused() {
        let table = ReportTable(title: "bad", columns: [ReportColumn("a"), ReportColumn("b")], rows: [[.integer(1)]])
        #expect(throws: RenderError.self) { try CSVWriter().write(table) }
    }
}
