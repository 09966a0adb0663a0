import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Config
@testable import Ingest
@testable import Analytics
@testable import Render
@testable import Reports
@testable import TestSupport

/// `ReportRunner` over a generated, planted, ingested lake: the headline numbers in analysis.json, the
/// CSVs, the XLSX (openpyxl) and the PDF (pdftotext) equal an independent DuckDB query of the lake;
/// the PDF passes qpdf; the .eml parses with Python's email and carries the files byte for byte.
@Suite(.serialized) struct ReportEndToEndTests {
    /// 2026-06-29T12:00:00Z: "yesterday" is 06-28, so the weekly period is 06-22…06-28, previous 06-15…06-21.
    static let clock: @Sendable () -> Int64 = { (UTCDate.days(year: 2026, month: 6, day: 29) * 86_400 + 43_200) * 1_000_000 }

    static func lake() throws -> (TemporaryDirectory, String) {
        var options = GenerateFixture.options(days: 30, agents: 3, callsPerDay: 20, seed: 5)
        options.plantSavings = true
        let (dir, _) = try GenerateFixture.generate(options)
        let data = dir.path + "/data"
        _ = try Ingestor(
            options: IngestOptions(
                dataDir: data, openclawDirs: [dir.path + "/openclaw"], gatewayDirs: [dir.path + "/gateway"],
                parallelism: 2, now: { 1_800_000_000_000_000 })
        ).run()
        return (dir, data)
    }

    static func config() -> HomeBaseConfig {
        var config = HomeBaseConfig()
        config.budgets = HomeBaseConfig.Budgets(monthlyUSD: 50)
        config.email = HomeBaseConfig.EmailSettings(from: "Home Base <hb@example.org>", to: ["ops@example.org"])
        // Days are counted from the report's last day, 2026-06-28 (not the wall clock's 06-29); warning window 14 days:
        //   k-expired expires 06-28 (that very day) → expiring, 0 days left; k-rotate created 04-01 + 60 = 05-31 → overdue −28;
        //   k-fine created 06-01, rotate after 90 → 08-30, 63 days → ok (not listed).
        var expired = HomeBaseConfig.Credential(keyID: "k-expired", provider: "openai", created: "2026-01-01")
        expired.expires = "2026-06-28"
        var rotate = HomeBaseConfig.Credential(keyID: "k-rotate", provider: "anthropic", created: "2026-04-01")
        rotate.rotateAfterDays = 60
        var fine = HomeBaseConfig.Credential(keyID: "k-fine", provider: "anthropic", created: "2026-06-01")
        fine.rotateAfterDays = 90
        config.credentials = [expired, rotate, fine]
        return config
    }

    static func options(data: String, out: String, agent: String? = nil, formats: [ReportFormat]? = nil) throws -> ReportRunOptions {
        var options = ReportRunOptions(
            dataDir: data, definition: try ReportDefinition.load(path: PythonOracle.repositoryRoot.path + "/reports/weekly.json"),
            outputDir: out)
        options.agent = agent
        options.formats = formats
        options.config = config()
        options.clock = clock
        options.seed = 42
        return options
    }

    /// DuckDB: [calls, cost, error rate, p95 (quantile_cont)] of a local-day range, optionally one agent;
    /// and per agent×day / model×day / day costs of the current period.
    static let duckCode = """
        import sys, json, duckdb
        files, tz, frm, to, pfrm, pto, agent = json.loads(sys.argv[1]), *sys.argv[2:8]
        con = duckdb.connect()
        con.execute(f"SET TimeZone = '{tz}'")
        con.execute(f"CREATE VIEW r AS SELECT *, CAST(timezone('{tz}', ts) AS DATE) AS d FROM read_parquet({files!r}, hive_partitioning=true)")
        ag = f" AND agent_id = '{agent}'" if agent else ""
        def head(a, b):
            return list(con.execute(f"SELECT count(*), sum(cost_usd), avg(CASE WHEN status = 'error' THEN 1.0 ELSE 0.0 END), quantile_cont(latency_ms, 0.95) FROM r WHERE d BETWEEN DATE '{a}' AND DATE '{b}'{ag}").fetchone())
        def by(key):
            return {f"{k}|{day}": c for k, day, c in con.execute(f"SELECT {key}, CAST(d AS VARCHAR), sum(cost_usd) FROM r WHERE d BETWEEN DATE '{frm}' AND DATE '{to}'{ag} GROUP BY 1, 2").fetchall()}
        def top(a, b):
            return con.execute(f"SELECT agent_id, sum(cost_usd), count(*) FROM r WHERE d BETWEEN DATE '{a}' AND DATE '{b}'{ag} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1").fetchone()
        t = top(frm, to)
        prev = con.execute(f"SELECT sum(cost_usd) FROM r WHERE d BETWEEN DATE '{pfrm}' AND DATE '{pto}' AND agent_id = ?", [t[0]]).fetchone()[0] if t else None
        mix = {f"{a}|{m}": [c, n] for a, m, c, n in con.execute(f"SELECT agent_id, model, sum(cost_usd), count(*) FROM r WHERE d BETWEEN DATE '{frm}' AND DATE '{to}'{ag} GROUP BY 1, 2").fetchall()}
        print(json.dumps({"current": head(frm, to), "previous": head(pfrm, pto), "agent_day": by("agent_id"), "model_day": by("model"), "day": by("'all'"), "agent_model": mix,
                          "top_agent": list(t) + [prev] if t else None}))
        """

    /// Reads every output back: CSVs, the XLSX compared with them cell by cell, pdftotext, qpdf, the parsed e-mail.
    static let filesCode = """
        import sys, json, csv, glob, os, subprocess, email, datetime, openpyxl
        from email import policy
        rdir = sys.argv[1]
        out = {"csv": {}, "mismatch": []}
        paths = sorted(glob.glob(rdir + "/report-csv/*.csv"))
        for p in paths:
            with open(p, newline="", encoding="utf-8") as f:
                out["csv"][os.path.basename(p)] = list(csv.reader(f))
        if os.path.exists(rdir + "/report.xlsx"):
            wb = openpyxl.load_workbook(rdir + "/report.xlsx")
            out["sheets"] = len(wb.worksheets)
            for ws, p in zip(wb.worksheets, paths):
                rows = [list(r) for r in ws.iter_rows(values_only=True)]
                want = out["csv"][os.path.basename(p)]
                if len(rows) != len(want): out["mismatch"].append(f"{p}: {len(rows)} rows in xlsx, {len(want)} in csv"); continue
                for i, (a, b) in enumerate(zip(rows, want)):
                    for j, (x, y) in enumerate(zip(a, b)):
                        ok = True
                        if isinstance(x, datetime.datetime): ok = x.date().isoformat() == y
                        elif isinstance(x, (int, float)) and not isinstance(x, bool):
                            places = len(y.split(".")[1]) if "." in y else 0
                            ok = abs(float(y) - x) <= 0.5 * 10 ** -places + 1e-9
                        elif x is None: ok = y == ""
                        else: ok = str(x) == y
                        if not ok: out["mismatch"].append(f"{os.path.basename(p)} r{i} c{j}: xlsx {x!r} csv {y!r}")
        if os.path.exists(rdir + "/report.pdf"):
            out["pdftext"] = subprocess.run(["pdftotext", "-layout", rdir + "/report.pdf", "-"], capture_output=True, text=True).stdout
            out["qpdf"] = subprocess.run(["qpdf", "--check", rdir + "/report.pdf"], capture_output=True, text=True).returncode
        if os.path.exists(rdir + "/report.eml"):
            msg = email.message_from_bytes(open(rdir + "/report.eml", "rb").read(), policy=policy.default)
            same = {}
            for part in msg.iter_attachments():
                name = part.get_filename()
                disk = rdir + "/" + name if name.endswith((".pdf", ".xlsx")) else rdir + "/report-csv/" + name
                same[name] = part.get_payload(decode=True) == open(disk, "rb").read()
            out["eml"] = {"same": same, "subject": str(msg["subject"]), "to": str(msg["to"]), "type": msg.get_content_type(),
                          "html": msg.get_body(("html",)).get_content(), "text": msg.get_body(("plain",)).get_content(),
                          "auto": str(msg["Auto-Submitted"]), "msgid": str(msg["Message-ID"]),
                          "types": [p.get_content_type() for p in msg.iter_attachments()]}
        print(json.dumps(out))
        """

    static func duck(_ data: String, frame: (String, String, String, String), agent: String = "") throws -> [String: Any] {
        let scan = try LakeScan(dataDir: data, table: .requests)
        let files = String(decoding: try JSONSerialization.data(withJSONObject: scan.parts.map { scan.path(of: $0) }), as: UTF8.self)
        let out = try PythonOracle.run(duckCode, [files, "UTC", frame.0, frame.1, frame.2, frame.3, agent])
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    static func files(_ dir: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(try PythonOracle.run(filesCode, [dir]).utf8)) as? [String: Any])
    }

    static func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    /// The row of `csv` whose first cell is `key`.
    static func row(_ csv: [[String]]?, _ key: String) -> [String]? { csv?.first { $0.first == key } }

    @Test func weeklyReportMatchesDuckDBInEveryFormat() throws {
        let (dir, data) = try Self.lake()
        defer { dir.remove() }
        let result = try ReportRunner.render(try Self.options(data: data, out: dir.path + "/out"))
        #expect(result.directory == dir.path + "/out/weekly-2026-06-22_2026-06-28")
        let a = result.analysis
        #expect(a.range.from == "2026-06-22" && a.range.to == "2026-06-28" && !result.reusedAnalysisFile)

        let oracle = try Self.duck(data, frame: ("2026-06-22", "2026-06-28", "2026-06-15", "2026-06-21"))
        let current = try #require(oracle["current"] as? [Any]), previous = try #require(oracle["previous"] as? [Any])
        let calls = try #require(Self.number(current[0])), cost = try #require(Self.number(current[1]))
        let rate = try #require(Self.number(current[2])), p95 = try #require(Self.number(current[3]))
        #expect(calls > 100 && cost > 0)
        // analysis.json (what the report is built from) against DuckDB.
        #expect(Double(a.cost.total.calls) == calls)
        #expect(abs(a.cost.total.cost_usd - cost) < 1e-9)
        #expect(abs((a.errors.overall.rate ?? -1) - rate) < 1e-12)
        #expect(abs((a.latency.overall.p95 ?? -1) - p95) < 1e-6)

        let out = try Self.files(result.directory)
        let csv = try #require(out["csv"] as? [String: [[String]]])
        // Headline CSV: this period and the previous one against DuckDB, to the CSV's precision.
        let headline = csv.first { $0.key.hasSuffix("headline-numbers.csv") }?.value
        func close(_ text: String?, _ value: Double?, places: Int) -> Bool {
            guard let text, let parsed = Double(text), let value else { return false }
            return abs(parsed - value) <= 0.5 * pow(10, -Double(places)) + 1e-9
        }
        let spend = Self.row(headline, "Spend"), callRow = Self.row(headline, "Calls")
        let rateRow = Self.row(headline, "Error rate"), p95Row = Self.row(headline, "p95 latency (ms)")
        #expect(close(spend?[1], cost, places: 2) && close(spend?[2], Self.number(previous[1]), places: 2))
        #expect(callRow?[1] == String(Int(calls)) && callRow?[2] == String(Int(Self.number(previous[0]) ?? -1)))
        #expect(close(rateRow?[1], rate, places: 4) && close(rateRow?[2], Self.number(previous[2]), places: 4))
        #expect(close(p95Row?[1], p95, places: 1) && close(p95Row?[2], Self.number(previous[3]), places: 1))
        // (current − previous) / previous, by hand from DuckDB's numbers.
        let spendChange = (cost - (Self.number(previous[1]) ?? 0)) / (Self.number(previous[1]) ?? 1)
        #expect(close(spend?[3], spendChange, places: 3))

        // Stacked spend per agent and per model per day, cell by cell against DuckDB's group sums.
        // The per-agent drill-down's model mix: every agent × model of the week, DuckDB's spend and calls.
        let mix = try #require(oracle["agent_model"] as? [String: [Any]])
        let mixRows = try #require(csv.first { $0.key.hasSuffix("model-mix-by-agent.csv") }?.value).dropFirst()
        #expect(mixRows.count == mix.count && !mix.isEmpty, "\(mixRows.count) rows, DuckDB has \(mix.count) agent × model pairs")
        for row in mixRows {
            let want = mix[row[0] + "|" + row[1]]
            #expect(
                close(row[3], want.flatMap { Self.number($0[0]) }, places: 6) && Double(row[2]) == want.flatMap { Self.number($0[1]) },
                "\(row) vs \(want ?? [])")
        }
        let agentDay = try #require(oracle["agent_day"] as? [String: Any]), modelDay = try #require(oracle["model_day"] as? [String: Any])
        let dayTotals = try #require(oracle["day"] as? [String: Any])
        for (suffix, groups) in [("spend-per-day-by-agent.csv", agentDay), ("spend-per-day-by-model.csv", modelDay)] {
            let table = try #require(csv.first { $0.key.hasSuffix(suffix) }?.value)
            let header = table[0]
            #expect(table.count == 9, "\(suffix): header + 7 days + Total")
            // The Total row sums the unrounded days: DuckDB's week, to the cent.
            let week = (0..<7).reduce(0.0) {
                $0 + (Self.number(dayTotals["all|" + UTCDate.dateString(days: UTCDate.days(year: 2026, month: 6, day: 22) + Int64($1))]) ?? 0)
            }
            #expect(table.last?.first == "Total" && close(table.last?.last, week, places: 2), "\(suffix): \(table.last ?? [])")
            for line in table.dropFirst().dropLast() {
                #expect(close(line.last, Self.number(dayTotals["all|" + line[0]]) ?? 0, places: 2), "\(suffix) total \(line[0])")
                for (c, name) in header.enumerated().dropFirst().dropLast() where !name.hasSuffix("other models") {
                    #expect(close(line[c], Self.number(groups[name + "|" + line[0]]) ?? 0, places: 2), "\(suffix) \(name) \(line[0])")
                }
            }
        }

        // XLSX: one sheet per CSV, every cell equal.
        #expect(out["sheets"] as? Int == csv.count)
        #expect((out["mismatch"] as? [String]) == [])
        // PDF: passes qpdf; pdftotext gives the headline numbers back, formatted by Python from DuckDB's values.
        #expect(out["qpdf"] as? Int == 0)
        let text = try #require(out["pdftext"] as? String)
        let expected = try PythonOracle.run(
            """
            import sys
            c, n, r, p = map(float, sys.argv[1:])
            print("\\n".join([f"${c:,.2f}", f"{int(n):,}", f"{r * 100:.2f}%", f"{p:,.1f} ms"]))
            """, [String(cost), String(calls), String(rate), String(p95)])
        for line in expected.split(separator: "\n") { #expect(text.contains(line), "pdftotext lacks \(line)") }
        for title in [
            "Spend per day by model", "Daily spend and forecast", "Latency per day (ms)", "Errors by class", "Anomalies",
            "Recommendations", "Credentials due for rotation", "Data quality"
        ] {
            #expect(text.contains(title), "PDF lacks \(title)")
        }

        // Forecast: fitted on the lake's days up to the period's last (06-01…06-28 = 28 days, not just the week) and
        // starting the day after (06-29), which has no actuals in the report; the CSV's forecast column is the analysis's mean.
        let forecast = try #require(a.forecasts.overall)
        #expect(
            forecast.history_days == 28 && forecast.days.first?.date == "2026-06-29", "\(forecast.history_days) \(forecast.days.first?.date ?? "-")")
        let forecastCSV = try #require(csv.first { $0.key.hasSuffix("daily-spend-and-forecast.csv") }?.value)
        for point in forecast.days { #expect(close(Self.row(forecastCSV, point.date)?[2], point.mean, places: 2), "forecast \(point.date)") }

        // Recommendations (planted): the CSV lists the analysis's list in rank order with its monthly savings.
        let recommendations = try #require(a.recommendations)
        #expect(recommendations.count >= 3)  // a week holds the planted caching, right-sizing, retry and runaway cases
        let recCSV = try #require(csv.first { $0.key.hasSuffix("recommendations.csv") }?.value)
        #expect(recCSV.count == recommendations.count + 1)
        // The savings shown are the independent oracle's (DuckDB/Python definitions over the parts) for the week.
        let oracleSavings = try RecommendationOracle.run(dataDir: data, from: "2026-06-22", to: "2026-06-28", days: 7)
        for (i, r) in recommendations.enumerated() {
            #expect(recCSV[i + 1][1] == r.kind.rawValue)
            let expected = oracleSavings[r.kind.rawValue]?[RecommendationOracle.key(r)]
            #expect(
                expected != nil && close(recCSV[i + 1][7], expected ?? -1, places: 2),
                "\(r.kind) \(RecommendationOracle.key(r)): CSV \(recCSV[i + 1][7]), oracle \(String(describing: expected))")
        }
        // Credentials: the two keys worked out in `config()`, most overdue first.
        let creds = try #require(csv.first { $0.key.hasSuffix("credentials-due-for-rotation.csv") }?.value)
        #expect(
            creds.dropFirst().map { [$0[0], $0[2], $0[3], $0[4]] } == [
                ["k-rotate", "rotation_overdue", "-28", "2026-05-31"],
                ["k-expired", "expiring", "0", "2026-06-28"]
            ])
        // Budget: $50 for June; spent = DuckDB's June 1…28 sum (now is the end of 06-28).
        let june = try Self.duck(data, frame: ("2026-06-01", "2026-06-28", "2026-06-01", "2026-06-01"))
        let budget = Self.row(csv.first { $0.key.hasSuffix("budget-2026-06.csv") }?.value, "Fleet")
        #expect(budget?[1] == "50.00" && close(budget?[2], Self.number((june["current"] as? [Any])?[1]), places: 2))

        // E-mail: multipart, the PDF and one XLSX attached byte-identical to the files on disk (no CSVs).
        let eml = try #require(out["eml"] as? [String: Any])
        let same = try #require(eml["same"] as? [String: Bool])
        #expect(same == ["report.pdf": true, "report.xlsx": true], "\(same)")
        #expect(eml["types"] as? [String] == ["application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
        #expect(eml["type"] as? String == "multipart/mixed")
        #expect(eml["auto"] as? String == "auto-generated")
        #expect((eml["msgid"] as? String)?.hasSuffix("@example.org>") == true, "\(eml["msgid"] ?? "")")
        // The subject names the period once, then DuckDB's spend and calls.
        let money = { (v: Double) in ReportCell.money(v, currency: "USD").displayText }
        #expect(
            eml["subject"] as? String
                == "[Home Base] Weekly 2026-06-22 – 06-28: \(money(cost)), \(ReportCell.integer(Int64(calls)).displayText) calls",
            "\(eml["subject"] ?? "")")
        let body = try #require(eml["text"] as? String), html = try #require(eml["html"] as? String)
        #expect(body.contains(money(cost)))
        // The findings: top agent with its spend and change vs the previous period (DuckDB), alerts, budget, data quality; same in HTML.
        let top = try #require(oracle["top_agent"] as? [Any])
        let topName = try #require(top[0] as? String), topCost = try #require(Self.number(top[1])), topCalls = try #require(Self.number(top[2]))
        var topLine = topName + ": " + money(topCost)
        if let before = Self.number(top[3]), before != 0 {
            let delta = (topCost - before) / before
            topLine += " (" + (delta >= 0 ? "+" : "") + String(format: "%.1f", delta * 100) + "% vs " + money(before) + " previous)"
        }
        topLine += ", \(Int(topCalls)) calls"
        for mailBody in [body, html] {
            #expect(mailBody.contains("Top agents by spend") && mailBody.contains(topLine), "no '\(topLine)' in \(mailBody)")
            #expect(
                mailBody.contains("Alerts") && mailBody.contains("Budget 2026-06") && mailBody.contains("Data quality")
                    && mailBody.contains("Top anomalies"))
        }
        // The fixture's expired key is a critical alert, named in both bodies.
        for mailBody in [body, html] { #expect(mailBody.contains("CRITICAL: ") && mailBody.contains("k-expired"), "\(mailBody)") }
        // Budget $50 against DuckDB's June spend: ≥ 100% is a critical alert the body names, ≥ 90% a warning.
        let juneSpend = try #require(Self.number((june["current"] as? [Any])?[1]))
        if juneSpend >= 50 {
            #expect(body.contains("CRITICAL: Budget"), "\(body)")
        } else if juneSpend >= 45 {
            #expect(body.contains("WARNING: Budget"))
        }
        #expect(result.emailPath == result.directory + "/report.eml")

        // Reuse: an analysis.json made for the same days, zone, now and budget is read instead of recomputed, same CSVs.
        try AtomicFile.write(try AnalysisJSON.encode(a), to: data + "/analysis.json")
        let again = try ReportRunner.render(try Self.options(data: data, out: dir.path + "/again", formats: [.csv]))
        #expect(again.reusedAnalysisFile && again.analysis == a)
        let first = try FileManager.default.contentsOfDirectory(atPath: result.directory + "/report-csv").sorted()
        for name in first {
            #expect(
                FileManager.default.contents(atPath: result.directory + "/report-csv/" + name)
                    == FileManager.default.contents(atPath: again.directory + "/report-csv/" + name), "\(name) differs")
        }
    }

    @Test func agentFilterMatchesDuckDB() throws {
        let (dir, data) = try Self.lake()
        defer { dir.remove() }
        let agent = "plant-runaway"
        let result = try ReportRunner.render(try Self.options(data: data, out: dir.path + "/out", agent: agent, formats: [.csv]))
        #expect(result.directory.hasSuffix("weekly-2026-06-22_2026-06-28-plant-runaway") && !result.reusedAnalysisFile)
        let oracle = try Self.duck(data, frame: ("2026-06-22", "2026-06-28", "2026-06-15", "2026-06-21"), agent: agent)
        let current = try #require(oracle["current"] as? [Any]), previous = try #require(oracle["previous"] as? [Any])
        let a = result.analysis
        #expect(Double(a.cost.total.calls) == Self.number(current[0]) && a.cost.total.calls > 0)
        #expect(abs(a.cost.total.cost_usd - (Self.number(current[1]) ?? -1)) < 1e-9)
        #expect(abs((a.latency.overall.p95 ?? -1) - (Self.number(current[3]) ?? -2)) < 1e-6)
        #expect(Array(a.cost.by_agent.keys) == [agent])
        let headline = Self.row(
            try #require(try Self.files(result.directory)["csv"] as? [String: [[String]]]).first { $0.key.hasSuffix("headline-numbers.csv") }?.value,
            "Calls")
        #expect(headline?[2] == String(Int(Self.number(previous[0]) ?? -1)))
    }
}
