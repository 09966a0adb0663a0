import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Generate
@testable import TestSupport

/// The lake after ingest, checked against independent implementations: the Python oracle reading
/// the raw JSONL, DuckDB reading our Parquet, and the real samples' README figures.
@Suite(.serialized) struct IngestOracleTests {
    @Test func generatedFleetMatchesTheOracle() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let options = GeneratorOptions(days: 21, agents: 3, callsPerDay: 12, seed: 11, endDay: 20_600, targetMB: nil)
        _ = try OpenClawGenerator.generate(options, outDir: fixture.dir.path)
        let oracleText = try PythonOracle.run(
            """
            import runpy, sys
            sys.argv = [sys.argv[1], sys.argv[2]]
            runpy.run_path(sys.argv[0], run_name='__main__')
            """, [PythonOracle.repositoryRoot.path + "/Tests/tools/oracle_transcripts.py", fixture.stateDir])
        let oracle = try #require(JSONSerialization.jsonObject(with: Data(oracleText.utf8)) as? [String: Any])
        let summary = try fixture.ingest()

        let calls = try #require(oracle["calls"] as? Int)
        #expect(summary.calls == calls)
        #expect(summary.errorCalls == oracle["error_calls"] as? Int)
        #expect(summary.duplicateCalls == oracle["duplicate_entries"] as? Int)
        #expect(summary.quarantinedLines == oracle["malformed_lines"] as? Int)

        let totals = try fixture.query(
            """
            SELECT count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
                   sum(total_tokens), round(sum(cost_logged_usd) FILTER (WHERE cost_logged_usd > 0), 6),
                   count(*) FILTER (WHERE cost_logged_usd > 0)
            FROM requests
            """)[0]
        let tokens = try #require(oracle["tokens"] as? [String: Int])
        #expect(totals[0] == String(calls))
        #expect(totals[1] == String(tokens["input"] ?? -1))
        #expect(totals[2] == String(tokens["output"] ?? -1))
        #expect(totals[3] == String(tokens["cache_read"] ?? -1))
        #expect(totals[4] == String(tokens["cache_write"] ?? -1))
        #expect(totals[5] == String(tokens["total"] ?? -1))
        let logged = try #require(oracle["cost_logged_usd"] as? Double)
        #expect(abs((Double(totals[6]) ?? -1) - logged) < 1e-6)
        #expect(totals[7] == String(oracle["calls_with_logged_cost"] as? Int ?? -1))

        func grouped(_ sql: String) throws -> [String: Int] {
            Dictionary(uniqueKeysWithValues: try fixture.query(sql).map { ($0[0], Int($0[1]) ?? -1) })
        }
        #expect(try grouped("SELECT agent_id, count(*) FROM requests GROUP BY 1") == oracle["calls_by_agent"] as? [String: Int])
        #expect(try grouped("SELECT provider, count(*) FROM requests GROUP BY 1") == oracle["calls_by_provider"] as? [String: Int])
        #expect(try grouped("SELECT model, count(*) FROM requests GROUP BY 1") == oracle["calls_by_model"] as? [String: Int])
        #expect(try grouped("SELECT CAST(date AS VARCHAR), count(*) FROM requests GROUP BY 1") == oracle["calls_by_day"] as? [String: Int])
        // pyarrow reading tables/ as a Hive-partitioned dataset sees the same rows as DuckDB over the live parts.
        let arrow = try PythonOracle.run(
            """
            import sys, pyarrow.dataset as ds, pyarrow.compute as pc
            t = ds.dataset(sys.argv[1] + '/tables/requests', format='parquet', partitioning='hive').to_table()
            print(t.num_rows, pc.sum(t['input_tokens']).as_py(), pc.sum(t['total_tokens']).as_py(), len(set(t['date'].to_pylist())))
            """, [fixture.dataDir]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let days = (oracle["calls_by_day"] as? [String: Int])?.count ?? -1
        #expect(arrow == "\(calls) \(tokens["input"] ?? -1) \(tokens["total"] ?? -1) \(days)")
        // Every call has a cost decided: logged, priced from the book, or named as unpriced.
        #expect(try fixture.query("SELECT count(*) FROM requests WHERE cost_source NOT IN ('logged','priced','unpriced')") == [["0"]])
        #expect(try fixture.query("SELECT count(*) FROM requests WHERE cost_source = 'unpriced'") == [[String(summary.unpricedCalls)]])
    }

    /// Each real sample file, laid out as a transcript of one agent, ingests with the README's figures
    /// (the assistant calls plus the prompt-error entries, counted by `grep -c`).
    @Test func realSamplesIngestWithTheirReadmeFigures() throws {
        // file: (assistant calls, Σ cost.total, Σ input) from the README table; prompt errors counted by grep.
        let expected: [(String, Int, Double, Int)] = [
            ("khalf-code-aibot--clawdbot-session-transcripts.jsonl", 26, 0.175346, 156071),
            ("HUSTLERLOGAN-clawdbackup--clawdbot-session-transcripts.jsonl", 63, 0.025889, 266795),
            ("VerveAILabs-openclaw-backup--session-transcripts.jsonl", 31, 0.328501, 197746),
            ("mpast043-openclaws--session-transcripts.jsonl", 45, 0.537, 526294),
            ("Musk-fanX-openclaw-backup--openclaw-cn-session-transcripts.jsonl", 38, 0, 118034),
            ("openclaw-openclaw--openclaw-desktop-session.jsonl", 31, 0.131608, 57590),
            ("openclawlaw-cpu-OpenClawLog--session-transcripts.jsonl", 12, 0, 0),
            ("hochoy18-OPENCLAW_ALL--session-transcripts.jsonl", 47, 0.146436, 180023),
            ("33333cheche-web-chenlu-memory--session-transcripts.jsonl", 38, 0, 33469),
            ("andrewcarterman-ops-andre-ai-harness--session-transcripts.jsonl", 57, 0, 1796104),
            ("felixchau-pixel-WICCLAW--session-transcripts.jsonl", 29, 1.360978, 190),
            ("ReinforcementSleeping-openclaw-backup--session-transcripts.jsonl", 71, 0, 1034749),
            ("sirdeuce-nucbox-backup--session-transcripts.jsonl", 57, 0.050992, 1324700),
            ("juliuss1907-knowledge-base--session-transcripts.jsonl", 39, 0.034672, 252720)
        ]
        let samples = PythonOracle.repositoryRoot.path + "/Tests/TestSupport/Fixtures/openclaw-samples"
        let fixture = IngestFixture()
        defer { fixture.remove() }
        var promptErrors: [String: Int] = [:]
        for (index, (file, _, _, _)) in expected.enumerated() {
            let text = try String(contentsOfFile: samples + "/" + file, encoding: .utf8)
            promptErrors[file] = text.split(separator: "\n").filter { $0.contains("\"customType\":\"openclaw:prompt-error\"") }.count
            try fixture.write(agent: "agent\(index)", file: "s.jsonl", text)
        }
        let summary = try fixture.ingest()
        #expect(summary.quarantinedLines == 0)
        let rows = try fixture.query(
            """
            SELECT agent_id, count(*), count(*) FILTER (WHERE entry_id IN (SELECT entry_id FROM requests WHERE api IS NOT NULL)),
                   round(coalesce(sum(cost_logged_usd), 0), 6), sum(input_tokens)
            FROM requests GROUP BY 1
            """)
        let byAgent = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0) })
        for (index, (file, calls, cost, input)) in expected.enumerated() {
            let row = try #require(byAgent["agent\(index)"], "\(file) produced no calls")
            #expect(Int(row[1]) == calls + (promptErrors[file] ?? 0), "\(file)")
            #expect(abs((Double(row[3]) ?? -1) - cost) < 5e-6, "\(file)")
            #expect(Int(row[4]) == input, "\(file)")
        }
    }

    /// Killing ingest at each of its stages (fail points: the kill lands inside the run, at a
    /// known place, never before or after it) and running it again gives the lake of one clean
    /// run, on an OpenClaw 2026.8+ state: JSONL and `.zst` files, store events and archive rows.
    @Test func killAndRerunGivesTheCleanResult() throws {
        let binary = PythonOracle.repositoryRoot.path + "/.build/debug/homebase"
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the debug binary first (swift build)")
        let fixture = IngestFixture()
        defer { fixture.remove() }
        var options = GeneratorOptions(days: 30, agents: 4, callsPerDay: 40, seed: 5, endDay: 20_600, targetMB: nil)
        options.store = .current
        _ = try OpenClawGenerator.generate(options, outDir: fixture.dir.path)
        func ingest(_ data: String, stopAt point: String? = nil) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir, "--data", data]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let marker = fixture.dir.path + "/reached-\(point ?? "none")"
            if let point {
                process.environment = ProcessInfo.processInfo.environment.merging(
                    ["HOMEBASE_FAILPOINT": point, "HOMEBASE_FAILPOINT_FILE": marker]) { $1 }
            }
            try process.run()
            if point != nil {
                // Wait for the run to reach the point (or to end without reaching it), then kill it there.
                while !FileManager.default.fileExists(atPath: marker) && process.isRunning { usleep(10_000) }
                let reached = FileManager.default.fileExists(atPath: marker)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(reached, "ingest never reached \(point!)")
                #expect(process.terminationReason == .uncaughtSignal)
                return -1
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
        let clean = fixture.dir.path + "/clean", killed = fixture.dir.path + "/killed"
        #expect(try ingest(clean) == 3)
        for point in ["ingest-files-half", "ingest-files-done", "ingest-archive-row", "ingest-stores-done", "ingest-before-commit"] {
            _ = try ingest(killed, stopAt: point)
            // Nothing of a killed run is visible: no snapshot was committed.
            #expect(try Catalog(dataDir: killed, readOnly: true).liveParts(table: "requests").isEmpty, "\(point)")
        }
        _ = try ingest(killed, stopAt: "ingest-after-commit")  // committed, retired parts not yet moved
        let last = try ingest(killed)
        #expect(last == 3 || last == 0)
        func digest(_ data: String) throws -> String {
            let catalog = try Catalog(dataDir: data, readOnly: true)
            var lines: [String] = []
            for table in LakeTable.all {
                let parts = try catalog.liveParts(table: table.name).map { data + "/" + $0.path }
                let columns = table.schema.columns.map(\.name).filter { !(table.name == "quarantine" && $0 == "ts") }
                let out = try PythonOracle.run(
                    """
                    import sys, duckdb
                    files = sys.argv[2].split(',') if sys.argv[2] else []
                    if not files: print(0); sys.exit(0)
                    cols = sys.argv[1]
                    print(duckdb.sql(f"SELECT count(*), sum(hash({cols})) FROM read_parquet({files!r}, hive_partitioning=true)").fetchall())
                    """, [columns.joined(separator: ","), parts.joined(separator: ",")])
                lines.append(table.name + " " + out)
            }
            return lines.joined()
        }
        #expect(try digest(killed) == digest(clean))
        // And nothing is left behind in tables/ that the catalog does not list.
        let listed = try Set(Catalog(dataDir: killed, readOnly: true).allPartPaths())
        let onDisk = (FileManager.default.enumerator(atPath: killed + "/tables")?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".parquet") || $0.hasSuffix(".tmp") }.map { "tables/" + $0 }
        #expect(Set(onDisk).isSubset(of: listed))
    }
}
