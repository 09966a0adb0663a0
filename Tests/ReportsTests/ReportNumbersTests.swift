import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Reports
@testable import HomeBaseCLI
@testable import TestSupport

/// The nightly of `make run` (samples/ with samples/homebase.json, as on 2026-07-01) read back as a
/// careful user would: anomalies of each report's own days only, workbook sums equal to the
/// headline to the cent, one forecast across analysis.json and every report, credential days from
/// the report's end, budgets scoped, and an empty month saying so with exit 3. Values come from
/// Python's csv, openpyxl and DuckDB over the lake, or by hand.
@Suite(.serialized) struct ReportNumbersTests {
    static func money(_ text: String?) -> Double? {
        text.flatMap { Double($0.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: "")) }
    }

    @Test func makeRunReportsAgreeWithThemselves() throws {
        let dir = TemporaryDirectory("homebase-report-numbers")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        #expect(run.code == .warnings || run.code == .success, "\(run.text)")
        let scan = try LakeScan(dataDir: run.data, table: .requests)
        let parts = String(decoding: try JSONSerialization.data(withJSONObject: scan.parts.map { scan.path(of: $0) }), as: UTF8.self)
        let back = try #require(
            try JSONSerialization.jsonObject(with: Data(try PythonOracle.run(SampleNightly.readBack, [run.out, run.data, parts]).utf8))
                as? [String: Any])
        let csv = try #require(back["csv"] as? [String: [[String]]])
        let reports = [
            "daily-2026-06-30": ("2026-06-30", "2026-06-30"), "weekly-2026-06-24_2026-06-30": ("2026-06-24", "2026-06-30"),
            "monthly-finance-2026-06": ("2026-06-01", "2026-06-30")
        ]
        for name in reports.keys { #expect(csv.keys.contains { $0.hasPrefix(name + "/") }, "no CSVs for \(name): \(csv.keys.sorted())") }

        // Anomalies: only the report's own days, at most 10, one row per finding, each with a reason; counts are integers.
        for (name, (first, last)) in reports {
            guard let rows = csv[name + "/anomalies"] else { continue }
            let header = rows[0], body = rows.dropFirst()
            let when = try #require(header.firstIndex(of: "When")), agent = try #require(header.firstIndex(of: "Agent"))
            let metric = try #require(header.firstIndex(of: "Metric")), why = try #require(header.firstIndex(of: "Why"))
            let value = try #require(header.firstIndex(of: "Value")), expected = try #require(header.firstIndex(of: "Expected"))
            #expect(body.count <= 10, "\(name): \(body.count) anomaly rows")
            for row in body {
                let day = String(row[when].prefix(10))
                #expect(day >= first && day <= last, "\(name): anomaly at \(row[when]) outside \(first)…\(last)")
                #expect(row[why].contains("robust z") && !row[why].isEmpty)
                if row[metric] == "calls" { #expect(Int(row[value]) != nil && Int(row[expected]) != nil, "\(row)") }
            }
            #expect(Set(body.map { [$0[when], $0[agent], $0[metric]] }).count == body.count, "\(name): duplicate anomaly rows")
        }

        // Money: the monthly workbook's day-by-model sheet, its Total column and "Spend by model" all sum to the headline,
        // which is DuckDB's June spend, to the cent.
        let june = try #require(ReportEndToEndTests.number(back["june"]))
        let sheets = try #require(back["xlsx"] as? [String: [[Any]]])
        let html = try String(contentsOfFile: run.out + "/monthly-finance-2026-06/report.html", encoding: .utf8)
        #expect(html.contains("$" + String(format: "%.2f", june)), "the headline spend is DuckDB's \(june)")
        let byDay = try #require(sheets["Spend per day by model"])
        let dayRows = byDay.dropFirst().filter { !($0.first is String) || ($0.first as? String)?.hasPrefix("2026-") == true }
        #expect(dayRows.count == 30, "\(dayRows.count) days")
        let totalColumn = byDay[0].count - 1
        let columnSum = dayRows.reduce(0.0) { $0 + (($1[totalColumn] as? Double) ?? 0) }
        let cellSum = dayRows.reduce(0.0) { sum, row in sum + row[1..<totalColumn].reduce(0.0) { $0 + (($1 as? Double) ?? 0) } }
        #expect(abs(columnSum - june) < 0.005 && abs(cellSum - june) < 0.005, "Total column \(columnSum), model cells \(cellSum), DuckDB \(june)")
        let totalRow = try #require(byDay.first { $0.first as? String == "Total" })
        #expect(abs((totalRow[totalColumn] as? Double ?? 0) - june) < 0.005)
        let byModel = try #require(sheets["Spend by model"])
        let spendColumn = try #require(byModel[0].firstIndex { $0 as? String == "Spend" })
        let modelSum = byModel.dropFirst().filter { $0.first as? String != "Total" }.reduce(0.0) { $0 + (($1[spendColumn] as? Double) ?? 0) }
        #expect(abs(modelSum - june) < 0.005, "Spend by model sums to \(modelSum), DuckDB \(june)")
        // The planted spike (generate-manifest.json: main on 2026-06-17) is circled on the monthly charts, and the
        // monthly report, which has no anomalies section, says why next to them.
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: SampleNightly.root + "/samples/generate-manifest.json")))
                as? [String: Any])
        let spike = try #require(manifest["anomaly_day"] as? String), spikeAgent = try #require(manifest["anomaly_agent"] as? String)
        let circled = try #require(html.components(separatedBy: "Circled on the chart: ").dropFirst().first, "no explanation of the circled points")
        #expect(circled.prefix(400).contains(spike) && circled.prefix(400).contains(spikeAgent), "\(circled.prefix(400))")
        // A cost per call below a cent keeps its digits.
        let agents = try #require(csv["monthly-finance-2026-06/spend-by-agent"])
        let perCall = try #require(agents[0].firstIndex(of: "Per call"))
        for row in agents.dropFirst() {
            guard let value = Double(row[perCall]), value > 0, value < 0.995 else { continue }
            #expect(
                html.contains("$" + String(format: "%.4f", value)),
                "per call \(value) is not shown with its digits")
        }

        // Forecasts: analysis.json's next 30 days equals the 30 forecast rows of every report that shows one, and each
        // report's forecast starts on 2026-07-01, the day after the last complete day.
        let analysis = try #require(back["analysis"] as? [String: Any])
        let overall = try #require((analysis["forecasts"] as? [String: Any])?["overall"] as? [String: Any])
        let next30 = try #require(ReportEndToEndTests.number(overall["next_30_days_usd"]))
        #expect(((overall["days"] as? [[String: Any]])?.first?["date"] as? String) == "2026-07-01")
        var seen = 0
        for (name, _) in reports {
            guard let rows = csv[name + "/daily-spend-and-forecast"] else { continue }
            seen += 1
            let forecastRows = rows.dropFirst().filter { !$0[2].isEmpty }
            #expect(forecastRows.first?[0] == "2026-07-01", "\(name): forecast starts \(forecastRows.first?[0] ?? "-")")
            #expect(forecastRows.allSatisfy { $0[1].isEmpty || Double($0[1]) == 0 || $0[0] > "2026-06-30" })
            let sum = forecastRows.prefix(30).reduce(0.0) { $0 + (Double($1[2]) ?? 0) }
            #expect(abs(sum - next30) < 0.005, "\(name): forecast sums to \(sum), analysis.json says \(next30)")
        }
        #expect(seen == 2, "the weekly and the monthly report show the forecast")

        // Credentials: sk-...a1b2 was created 2026-01-15 with rotation after 90 days, so due 2026-04-15:
        // 76 days before the report's end (2026-06-30): 15 days left of April, 31 of May, 30 of June.
        let credentials = try #require(csv["weekly-2026-06-24_2026-06-30/credentials-due-for-rotation"])
        let key = try #require(credentials.first { $0.first == "sk-...a1b2" })
        #expect(key[3] == "-76", "\(key)")

        // Budgets: agent-01 (budgets.agents in the sample config) never made a call: the report says so.
        #expect((back["agents"] as? [String])?.contains("agent-01") == false)
        #expect(run.text.contains("budgets.agents names agent-01, which never made a call"), "\(run.text)")
        #expect(csv["weekly-2026-06-24_2026-06-30/budget-2026-06"]?.first { $0.first == "Agent agent-01" }?.last == "no calls ever by this agent id")

        // One agent: no fleet budget row, no anomaly twice.
        let console = Console.capturing()
        let code = try ReportCommand(clock: { 1_782_871_200_000_000 }).run(
            [
                "--config", run.config, "--period", "weekly", "--to", "2026-06-30",
                "--agent", "main", "--formats", "csv", "--out", dir.path + "/agent"
            ], console: console)
        #expect(code == .warnings || code == .success, "\(console.capturedErr)")
        let agentDir = dir.path + "/agent/weekly-2026-06-24_2026-06-30-main/report-csv"
        // The fleet report has the fleet's $40 row; main has no budget of its own, so its report has no budget row at all.
        #expect(
            csv["weekly-2026-06-24_2026-06-30/budget-2026-06"]?.contains { $0.first == "Fleet" && $0[1] == "40.00" } == true,
            "\(csv["weekly-2026-06-24_2026-06-30/budget-2026-06"] ?? [])")
        let budgetFile = try FileManager.default.contentsOfDirectory(atPath: agentDir).first { $0.contains("budget") }
        let budget = try budgetFile.map { try String(contentsOfFile: agentDir + "/" + $0, encoding: .utf8) } ?? ""
        #expect(!budget.contains("Fleet"), "\(budget)")
        if let name = try FileManager.default.contentsOfDirectory(atPath: agentDir).first(where: { $0.hasSuffix("anomalies.csv") }) {
            let lines = try String(contentsOfFile: agentDir + "/" + name, encoding: .utf8).split(separator: "\r\n").dropFirst()
            let keys = lines.map { $0.split(separator: ",").dropFirst().prefix(3).joined(separator: ",") }
            #expect(Set(keys).count == keys.count, "\(lines)")
        }
    }

    /// A month without data: "no calls in this period" in the report, where the lake's calls are
    /// instead, no bare " ms", and exit 3.
    @Test func emptyMonthSaysSoAndExitsThree() throws {
        let dir = TemporaryDirectory("homebase-report-empty")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        let console = Console.capturing()
        let code = try ReportCommand(clock: { 1_782_871_200_000_000 }).run(
            [
                "--config", run.config, "--period", "monthly", "--to", "2026-03-31",
                "--formats", "html,csv", "--out", dir.path + "/empty"
            ], console: console)
        #expect(code == .warnings, "\(console.capturedOut)\(console.capturedErr)")
        #expect(console.capturedErr.contains("no calls in this period"))
        // Where the calls are: the first and last date= folder of requests, listed here from the file system.
        let dates = try FileManager.default.contentsOfDirectory(atPath: run.data + "/tables/requests")
            .filter { $0.hasPrefix("date=") }.map { String($0.dropFirst(5)) }.sorted()
        let (first, last) = (try #require(dates.first), try #require(dates.last))
        #expect(first < last)
        #expect(
            console.capturedErr.contains("the lake's calls are dated \(first) to \(last) (UTC); report those days with --from \(first) --to \(last)"),
            "\(console.capturedErr)")
        let nothing = dir.path + "/no-lake"
        #expect(ReportRunner.whereTheCallsAre(dataDir: nothing) == "the lake at \(nothing) holds no calls: is it the right one, and was ingest run?")
        let html = try String(contentsOfFile: dir.path + "/empty/monthly-finance-2026-03/report.html", encoding: .utf8)
        #expect(html.contains("No calls in this period."))
        #expect(html.contains("days in Europe/Berlin"))
        #expect(!html.contains("> ms<") && !html.contains(" ms</"), "a p95 latency with no value shows no bare unit")
        #expect(!html.contains("Forecast by"), "no forecast for a period without calls")

        // On demand without --config: a custom report, in the zone the nightly used (samples/homebase.json: Europe/Berlin).
        let custom = Console.capturing()
        _ = try ReportCommand(clock: { 1_782_871_200_000_000 }).run(
            [
                "--data", run.data, "--from", "2026-06-20", "--to", "2026-06-26",
                "--formats", "html", "--out", dir.path + "/custom"
            ], console: custom)
        let page = try String(contentsOfFile: dir.path + "/custom/custom-2026-06-20_2026-06-26/report.html", encoding: .utf8)
        #expect(
            page.contains("Custom report: ") && page.contains("2026-06-20 to 2026-06-26 (custom; days in Europe/Berlin)"), "\(custom.capturedOut)")
    }

    /// Every JSON example of reports/README.md renders as written (a section is wrapped in a definition), and the
    /// `params` of the top-sessions example reach the query: its rows are DuckDB's top sessions of the week.
    @Test func readmeExamplesRunAsWritten() throws {
        let dir = TemporaryDirectory("homebase-report-readme")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        let readme = try String(contentsOfFile: SampleNightly.root + "/reports/README.md", encoding: .utf8)
        let blocks = readme.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 2)
        let scan = try LakeScan(dataDir: run.data, table: .requests)
        let parts = String(decoding: try JSONSerialization.data(withJSONObject: scan.parts.map { scan.path(of: $0) }), as: UTF8.self)
        let duck = try PythonOracle.run(
            """
            import sys, json, duckdb
            files, limit = json.loads(sys.argv[1]), int(sys.argv[2])
            rows = duckdb.connect().execute(f"SELECT session_id, sum(cost_usd) AS c FROM read_parquet({files!r}, hive_partitioning=true) "
                f"WHERE CAST(date AS VARCHAR) BETWEEN '2026-06-24' AND '2026-06-30' GROUP BY agent_id, session_id ORDER BY c DESC, agent_id, session_id LIMIT {limit}").fetchall()
            print(json.dumps([[s, c] for s, c in rows]))
            """, [parts, "10"])
        let top = try #require(try JSONSerialization.jsonObject(with: Data(duck.utf8)) as? [[Any]])
        for (index, block) in blocks.enumerated() {
            let text = block.contains("\"sections\"") ? block : "{\"title\": \"README example\", \"sections\": [" + block + "]}"
            let definition = try ReportDefinition.load(text: text, origin: "reports/README.md example \(index + 1)", name: "readme-\(index + 1)")
            var options = ReportRunOptions(dataDir: run.data, definition: definition, outputDir: dir.path + "/readme")
            options.queryFiles = ShippedFiles(roots: [dir.path])  // the built-in queries only
            options.to = "2026-06-30"
            options.period = .weekly
            options.formats = [.csv]
            options.timeZone = "UTC"
            let result = try ReportRunner.render(options)
            guard index == 0 else { continue }
            let csvDir = result.directory + "/report-csv"
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: csvDir).first { $0.contains("sessions") })
            let lines = try String(contentsOfFile: csvDir + "/" + file, encoding: .utf8).split(separator: "\r\n").map {
                $0.split(separator: ",").map(String.init)
            }
            #expect(lines.count == 1 + 10, "params.limit 10: \(lines.count - 1) rows")
            let costColumn = try #require(lines[0].firstIndex(of: "\"cost_usd\""))
            for (line, expected) in zip(lines.dropFirst(), top) {
                #expect(abs((Double(line[costColumn]) ?? -1) - ((expected[1] as? NSNumber)?.doubleValue ?? 0)) < 1e-6, "\(line) vs \(expected)")
            }
        }
    }
}
