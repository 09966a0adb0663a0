import Foundation
import Testing
@testable import Ingest
@testable import TestSupport

/// The RFC 4180 reader against Python's `csv` module on awkward input.
@Suite struct InvoiceCSVTests {
    @Test func matchesPythonCSV() throws {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",3\r\n\"multi\nline\",,\"\"\n≤ 200k,5\"inch,end\n\n last , \"\" ,\"q\"\"\"\r\n"
        let records = try CSVReader.records(Array(text.utf8))
        let oracle = try PythonOracle.run(
            """
            import sys, csv, io, json
            rows = [r for r in csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8-sig'), newline='')) if r]
            print(json.dumps(rows))
            """, [], stdin: Data(text.utf8))
        let expected = try #require(JSONSerialization.jsonObject(with: Data(oracle.utf8)) as? [[String]])
        #expect(records.map(\.fields) == expected)
        // Line numbers where each record starts (the quoted line break makes record 4 start on line 5).
        #expect(records.map(\.line) == [1, 2, 3, 5, 7])
    }

    @Test func unclosedQuoteIsAnError() {
        #expect(throws: CSVReader.Failure.self) { try CSVReader.records(Array("a,b\n\"open,2\n".utf8)) }
    }
}
