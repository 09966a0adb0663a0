import Foundation
import Testing
@testable import SQLiteStore
@testable import Query
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// `homebase query` on the hand-reproducible cases of issue 26: `local_date(Int64.min)` (it
/// trapped), a recursive CTE that never ends (it hung), and table output that held every row.
@Suite struct QueryLimitsTests {
    static func query(_ arguments: [String]) -> (code: ExitCode, out: String, err: String) {
        let empty = TemporaryDirectory("homebase-query-limits")
        defer { empty.remove() }
        return HostileFixture.run(QueryCommand(), ["--data", empty.path] + arguments)
    }

    @Test func localDateOfInt64MinIsAnErrorNotATrap() {
        let min = Self.query(["SELECT local_date(-9223372036854775808, 'UTC')"])
        #expect(min.code == .usage)
        #expect(min.err.contains("local_date: -9223372036854775808 µs is outside years 0001-9999"), "\(min)")
        let max = Self.query(["SELECT local_hour(9223372036854775807, 'Europe/Berlin')"])
        #expect(max.code == .usage && max.err.contains("local_hour: 9223372036854775807 µs is outside"), "\(max)")
        // The last µs of 9999-12-31 (253402300800 s after the epoch, minus 1 µs) is still a day.
        let last = Self.query(["--format", "csv", "SELECT local_date(253402300799999999, 'UTC')"])
        #expect(last.code == .success && last.out.hasSuffix("\n9999-12-31\n"), "\(last)")
    }

    @Test func runawayRecursiveQueryStopsAtTheTimeLimit() {
        let run = Self.query(["--timeout", "0.2", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"])
        #expect(run.code == .failure, "\(run)")
        #expect(run.err.contains("the query ran longer than the time limit of 0.2 s and was stopped"), "\(run)")
        // A query that ends is not affected by the limit.
        let ends = Self.query([
            "--timeout", "0.2", "--format", "csv", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100) SELECT sum(x) FROM c"
        ])
        #expect(ends.code == .success && ends.out.hasSuffix("\n5050\n"), "\(ends)")
        #expect(Self.query(["--timeout", "soon", "SELECT 1"]).code == .usage)
        #expect(Self.query(["--timeout", "-1", "SELECT 1"]).code == .usage)
    }

    @Test func tableOutputStreamsAfterItsSample() {
        var received: [String] = []
        let output = QueryOutput(format: .table) { received.append($0) }
        output.begin(["n", "name"])
        let rows = QueryOutput.tableSample + 500
        let name = String(repeating: "x", count: 80), longer = String(repeating: "y", count: 90)
        for n in 1...rows {
            output.row([.int(Int64(n)), .text(n == rows ? longer : name)])
            if n == QueryOutput.tableSample - 1 { #expect(received.isEmpty) }  // still sizing the columns
        }
        // Before finish: the sample (1,000 lines of 87 bytes, past the 64 KiB chunk) is already out.
        let early = received.joined(separator: "\n").split(separator: "\n")
        #expect(early.count > 700, "\(early.count)")
        #expect(early.first == "   n  name" && early.dropFirst().first == "----  " + String(repeating: "-", count: 80))
        output.finish()
        let lines = received.joined(separator: "\n").split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + rows + 1)
        // Widths come from the sample: the later, longer cell is printed whole on its own line.
        #expect(lines[2] == "   1  " + name && lines[2 + rows - 1] == "1500  " + longer && lines.last == "(1500 rows)")
    }

    /// `ts` values outside 0001-9999 in a part (J4b's year 58634 as an older build stored it, and
    /// Int64.min) are shown as the stored number, not wrapped modulo 10000 and not trapped on.
    @Test func timesOutsideTheYearsShowAsTheStoredNumber() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        try lake.commit(
            [
                QueryTestLake.Call(ts: "", rawMicros: 1_788_162_200_000_000_000),
                QueryTestLake.Call(ts: "", rawMicros: Int64.min),
                QueryTestLake.Call(ts: "2026-01-01T10:00:00Z")
            ], committedMicros: 1_800_000_000_000_000)
        let (code, out, err) = lake.cli(["--format", "csv", "SELECT ts FROM requests ORDER BY source_line"])
        #expect(code == .success, "\(err)")
        #expect(out == "ts\n1788162200000000000\n-9223372036854775808\n2026-01-01T10:00:00.000000Z\n", "\(out)")
    }
}
