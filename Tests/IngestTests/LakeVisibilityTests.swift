import Foundation
import Testing
@testable import DeltaLog
@testable import Generate
@testable import Ingest
@testable import Lake
@testable import TestSupport
@testable import HomeBaseCLI
@testable import Pipeline
@testable import HomeBaseCore

/// What readers that cannot take the run lock see: plain Parquet over `tables/` (DuckDB,
/// pyarrow) and the Delta logs (deltalake). A run killed between staging, the catalog commit,
/// the move into `tables/` and the Delta commit never shows them an uncommitted row, nor a row
/// twice, and the next run finishes the job.
@Suite(.serialized) struct LakeVisibilityTests {
    /// Per table: rows in plain Parquet over tables/ (DuckDB, hive partitioning), rows in the
    /// latest Delta version (deltalake), and whether deltalake finds the table's columns.
    static func outside(_ data: String) throws -> [String: [String]] {
        let out = try PythonOracle.run(
            """
            import sys, os, glob, json, duckdb
            from deltalake import DeltaTable
            data, result = sys.argv[1], {}
            for spec in sys.argv[2:]:
                table, cols = spec.split('=')
                root = os.path.join(data, 'tables', table)
                files = glob.glob(os.path.join(root, 'date=*', '*.parquet'))
                plain = duckdb.sql(f"SELECT count(*) FROM read_parquet({files!r}, hive_partitioning=true)").fetchall()[0][0] if files else 0
                dt = DeltaTable(root)
                names = [f.name for f in dt.schema().fields]
                delta = dt.to_pyarrow_table().num_rows
                result[table] = [str(plain), str(delta), 'true' if names == cols.split(',') + ['date'] else 'false']
            print(json.dumps(result))
            """, [data] + LakeTable.all.map { $0.name + "=" + $0.schema.columns.map(\.name).joined(separator: ",") })
        return try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [String]])
    }

    static func liveRows(_ data: String) throws -> [String: Int64] {
        let catalog = try Catalog(dataDir: data, readOnly: true)
        var rows: [String: Int64] = [:]
        for table in LakeTable.all { rows[table.name] = try catalog.liveParts(table: table.name).reduce(0) { $0 + $1.rowCount } }
        return rows
    }

    @Test func killedRunsNeverShowUncommittedRows() throws {
        let binary = PythonOracle.repositoryRoot.path + "/.build/debug/homebase"
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the debug binary first (swift build)")
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let options = GeneratorOptions(days: 6, agents: 2, callsPerDay: 30, seed: 11, endDay: 20_600, targetMB: nil)
        _ = try OpenClawGenerator.generate(options, outDir: fixture.dir.path)
        func ingest(_ data: String, stopAt point: String? = nil, arguments: [String] = []) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments =
                arguments.isEmpty ? ["ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir, "--data", data] : arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            let marker = fixture.dir.path + "/reached-\(point ?? "none")"
            try? FileManager.default.removeItem(atPath: marker)
            if let point {
                process.environment = ProcessInfo.processInfo.environment.merging(
                    ["HOMEBASE_FAILPOINT": point, "HOMEBASE_FAILPOINT_FILE": marker]) { $1 }
            }
            try process.run()
            guard let point else {
                let out = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return (process.terminationStatus, String(decoding: out, as: UTF8.self))
            }
            while !FileManager.default.fileExists(atPath: marker) && process.isRunning { usleep(10_000) }
            #expect(FileManager.default.fileExists(atPath: marker), "ingest never reached \(point)")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (-1, "")
        }
        func staged(_ data: String) -> [String] {
            (FileManager.default.enumerator(atPath: data + "/staging")?.allObjects.compactMap { $0 as? String } ?? []).filter {
                $0.hasSuffix(".parquet")
            }
        }
        let nothing = ["0", "0", "true"]
        // Killed before the catalog commit: parts are staged, yet no reader sees a row; every
        // table already exists for deltalake, with its schema (invoice_lines has no invoice at all).
        let early = fixture.dir.path + "/early"
        for point in ["ingest-staged", "ingest-before-commit"] {
            _ = try ingest(early, stopAt: point)
            #expect(!staged(early).isEmpty, "\(point): parts were staged")
            #expect(try Catalog(dataDir: early, readOnly: true).latestSnapshot() == nil)
            for (table, seen) in try Self.outside(early) { #expect(seen == nothing, "\(point) \(table)") }
        }
        // Committed, not yet moved into tables/: outside readers still see nothing; homebase
        // query (which follows the catalog) sees the committed rows where they wait.
        let published = fixture.dir.path + "/published"
        _ = try ingest(published, stopAt: "lake-before-publish")
        let committed = try Self.liveRows(published)
        #expect((committed["requests"] ?? 0) > 0)
        for (table, seen) in try Self.outside(published) { #expect(seen == nothing, "lake-before-publish \(table)") }
        let (code, csv) = try ingest(
            published, arguments: ["query", "--data", published, "--format", "csv", "SELECT count(*) AS n FROM requests"])
        #expect(code == 0)
        #expect(csv.split(separator: "\n").last.map(String.init) == "\(committed["requests"] ?? -1)")
        // Killed before the Delta commit: plain Parquet shows the committed snapshot, the Delta
        // log still the one before.
        let logged = fixture.dir.path + "/logged"
        _ = try ingest(logged, stopAt: "lake-before-delta")
        for (table, seen) in try Self.outside(logged) {
            #expect(seen == ["\(committed[table] ?? -1)", "0", "true"], "lake-before-delta \(table)")
        }
        // The next run rolls staged parts forward or deletes them and catches the logs up: all
        // three lakes end as one clean run.
        for data in [early, published, logged] {
            #expect(try ingest(data).0 != -1)
            let final = try Self.liveRows(data)
            #expect(final == committed, "\(data)")
            for (table, seen) in try Self.outside(data) {
                #expect(seen == ["\(final[table] ?? -1)", "\(final[table] ?? -1)", "true"], "after recovery \(data) \(table)")
            }
            #expect(staged(data).isEmpty, "staging is empty after recovery")
            // Not even a folder: the run's own staging folders go once its parts are in place.
            let left = FileManager.default.enumerator(atPath: data + "/staging")?.allObjects.compactMap { $0 as? String } ?? []
            #expect(left.isEmpty, "left in staging: \(left.prefix(5))")
            let log = DeltaTableLog(tableRoot: data + "/tables/requests")
            #expect(try log.lastSnapshot() == Catalog(dataDir: data, readOnly: true).latestSnapshot())
        }
    }
}

/// Time travel: deltalake at the Delta version of each catalog snapshot returns what
/// `homebase query --as-of` returns; after a compaction, `tables/`, the latest Delta version and
/// the catalog hold the same files.
@Suite(.serialized) struct LakeTimeTravelTests {
    @Test func deltaVersionsMatchAsOfAndCompactionKeepsOneFileSet() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let day: Int64 = 86_400_000
        var snapshots: [Int64] = []
        for k in 1...3 {
            var lines = [Lines.header]
            for n in 0..<(k * 3) {
                let ms = 1_770_659_217_424 + Int64(k) * day + Int64(n) * 60_000
                lines.append(
                    Lines.assistant(
                        "a\(k)-\(n)", ms: ms, entry: UTCDate.isoString(micros: (ms + 1500) * 1000), provider: "openai", model: "gpt-4o",
                        input: 100 * k + n, output: 10, cost: "0.00\(k)\(n)"))
            }
            try fixture.write(agent: "agent\(k)", file: "s.jsonl", lines.joined(separator: "\n") + "\n")
            let summary = try fixture.ingest(clock: 1_800_000_000_000_000 + Int64(k) * 3_600_000_000)
            snapshots.append(try #require(summary.snapshot))
            #expect(summary.deltaLogError == nil)
        }
        let log = DeltaTableLog(tableRoot: fixture.dataDir + "/tables/requests")
        let versions = try snapshots.map { try #require(try log.version(asOfSnapshot: $0)) }
        #expect(versions == [1, 2, 3])  // version 0 is the empty table
        let sql = "SELECT count(*) AS n, sum(input_tokens) AS tokens, round(sum(cost_usd), 6) AS cost FROM requests"
        let delta = try PythonOracle.run(
            """
            import sys
            from deltalake import DeltaTable
            import pyarrow.compute as pc
            for v in sys.argv[2:]:
                t = DeltaTable(sys.argv[1], version=int(v)).to_pyarrow_table()
                print(f"{t.num_rows},{pc.sum(t['input_tokens']).as_py()},{round(pc.sum(t['cost_usd']).as_py(), 6)}")
            """, [fixture.dataDir + "/tables/requests"] + versions.map(String.init)
        ).split(separator: "\n").map(String.init)
        for (index, snapshot) in snapshots.enumerated() {
            let console = Console.capturing()
            let code = CommandLineTool.run(
                ["query", "--data", fixture.dataDir, "--as-of", String(snapshot), "--format", "csv", sql], console: console)
            #expect(code == .success)
            let ours = console.capturedOut.split(separator: "\n").last.map(String.init) ?? ""
            // The same rows, token sums and cost (to the µ$) at each snapshot.
            let mine = ours.split(separator: ",").compactMap { Double($0) }
            let theirs = delta[index].split(separator: ",").compactMap { Double($0) }
            #expect(mine.count == 3 && theirs.count == 3)
            #expect(zip(mine, theirs).allSatisfy { abs($0 - $1) < 1e-9 }, "snapshot \(snapshot): homebase \(ours), deltalake \(delta[index])")
        }
        // A compaction (one partition part at most): one Delta version that removes and adds files
        // with dataChange false; tables/, the Delta log and the catalog name the same files.
        try fixture.write(agent: "agent4", file: "s.jsonl", Lines.session)
        let compacted = try fixture.ingest(clock: 1_800_000_000_000_000 + 5 * 3_600_000_000, compactAbove: 0)
        #expect(compacted.partsCompacted > 0)
        let live = Set(try Catalog(dataDir: fixture.dataDir, readOnly: true).liveParts(table: "requests").map { $0.path })
        let onDisk = Set(
            (FileManager.default.enumerator(atPath: fixture.dataDir + "/tables/requests")?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".parquet") }.map { "tables/requests/" + $0 })
        #expect(onDisk == live)
        #expect(Set(try log.liveFiles().map { "tables/requests/" + $0 }) == live)
        let operation = try log.history().last?.operation
        #expect(operation == "WRITE")
    }
}

/// A reader polling `tables/` (plain Parquet, and the Delta log) while ingests and compactions
/// run, and while one run is held before its catalog commit and then killed: it never sees a row
/// twice, never a row the lake does not end with, and while a run waits uncommitted it sees
/// exactly the rows committed before it.
@Suite(.serialized) struct LakeRaceTests {
    static let poller = """
        import sys, os, glob, json, time
        import pyarrow.parquet as pq
        from deltalake import DeltaTable
        root, phase_file, stop_file, out_file, progress_file = sys.argv[1:6]
        polls, seen, counts = [], set(), {}
        while not os.path.exists(stop_file):
            phase = open(phase_file).read().strip()
            keys = []
            try:
                for path in sorted(glob.glob(os.path.join(root, "date=*", "*.parquet"))):
                    t = pq.read_table(path, columns=["agent_id", "session_id", "entry_id"])
                    keys += zip(*(t.column(c).to_pylist() for c in t.column_names))
            except (FileNotFoundError, OSError):
                continue  # a part moved between the listing and the read: poll again
            try:
                delta = DeltaTable(root).to_pyarrow_table(columns=["entry_id"]).num_rows
            except Exception:
                delta = -1  # a file of the version read was moved to history/ meanwhile
            seen.update(keys)
            polls.append([phase, len(keys), len(keys) - len(set(keys)), delta])
            counts[phase] = counts.get(phase, 0) + 1
            with open(progress_file + ".tmp", "w") as f:
                json.dump(counts, f)
            os.replace(progress_file + ".tmp", progress_file)  # the test waits on these counts
            time.sleep(0.005)
        json.dump({"polls": polls, "seen": sorted("|".join(k) for k in seen)}, open(out_file, "w"))
        """

    @Test func pollingReaderNeverSeesUncommittedOrDoubledRows() throws {
        let binary = PythonOracle.repositoryRoot.path + "/.build/debug/homebase"
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the debug binary first (swift build)")
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let day: Int64 = 86_400_000
        // Round k adds three agents' sessions, 16 calls each over four days: every round adds a
        // part to the same partitions, and compaction (above one part) merges them again.
        func addRound(_ k: Int) throws {
            for agent in 0..<3 {
                var lines = [Lines.header]
                for n in 0..<16 {
                    let ms = 1_770_659_217_424 + Int64(n % 4) * day + Int64(k * 100 + n) * 60_000
                    lines.append(
                        Lines.assistant(
                            "r\(k)-\(agent)-\(n)", ms: ms, entry: UTCDate.isoString(micros: (ms + 900) * 1000), provider: "openai",
                            model: "gpt-4o", input: 100 + n, output: 10, cost: "0.001"))
                }
                try fixture.write(agent: "r\(k)a\(agent)", file: "s.jsonl", lines.joined(separator: "\n") + "\n")
            }
        }
        func committedRows() throws -> Int64 {
            try Catalog(dataDir: fixture.dataDir, readOnly: true).liveParts(table: "requests").reduce(0) { $0 + $1.rowCount }
        }
        try addRound(0)
        _ = try fixture.ingest(clock: 1_800_000_000_000_000)  // tables/ exists before the reader starts
        let phaseFile = fixture.dir.file("phase"), stopFile = fixture.dir.file("stop"), outFile = fixture.dir.file("polls.json")
        let progressFile = fixture.dir.file("progress.json")
        func phase(_ name: String) throws { try name.write(toFile: phaseFile, atomically: true, encoding: .utf8) }
        /// Waits (up to two minutes: the suite may be loading the machine) until the reader has
        /// polled `count` times in phase `name`, so every phase is really observed.
        func awaitPolls(_ name: String, _ count: Int) {
            for _ in 0..<12_000 {
                if let data = FileManager.default.contents(atPath: progressFile),
                    let counts = try? JSONSerialization.jsonObject(with: data) as? [String: Int], (counts[name] ?? 0) >= count
                {
                    return
                }
                usleep(10_000)
            }
        }
        try phase("running")
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: try PythonOracle.python())
        reader.arguments = ["-c", Self.poller, fixture.dataDir + "/tables/requests", phaseFile, stopFile, outFile, progressFile]
        try reader.run()
        defer { if reader.isRunning { reader.terminate() } }
        awaitPolls("running", 3)
        for k in 1...3 {
            try addRound(k)
            let summary = try fixture.ingest(clock: 1_800_000_000_000_000 + Int64(k) * 3_600_000_000, compactAbove: 1)
            #expect(summary.partsCompacted > 0, "round \(k) compacted")
        }
        // A run held before its catalog commit (its parts staged), then killed with SIGKILL: the
        // reader must see exactly the committed rows the whole time.
        let before = try committedRows()
        try addRound(4)
        let marker = fixture.dir.file("reached")
        let held = Process()
        held.executableURL = URL(fileURLWithPath: binary)
        held.arguments = ["ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir, "--data", fixture.dataDir]
        held.environment = ProcessInfo.processInfo.environment.merging([
            "HOMEBASE_FAILPOINT": "ingest-before-commit", "HOMEBASE_FAILPOINT_FILE": marker
        ]) {
            $1
        }
        held.standardOutput = FileHandle.nullDevice
        held.standardError = FileHandle.nullDevice
        try held.run()
        while !FileManager.default.fileExists(atPath: marker) && held.isRunning { usleep(10_000) }
        #expect(FileManager.default.fileExists(atPath: marker), "the held run never reached its commit")
        try phase("held:\(before)")
        awaitPolls("held:\(before)", 5)
        kill(held.processIdentifier, SIGKILL)
        held.waitUntilExit()
        try phase("killed:\(before)")
        awaitPolls("killed:\(before)", 3)
        try phase("running")
        // The next run recovers (deletes the staged parts) and commits round 4 itself.
        _ = try fixture.ingest(clock: 1_800_000_000_000_000 + 9 * 3_600_000_000, compactAbove: 1)
        let final = try committedRows()
        #expect(final == before + 48)
        try phase("final:\(final)")
        awaitPolls("final:\(final)", 3)
        FileManager.default.createFile(atPath: stopFile, contents: nil)
        reader.waitUntilExit()
        #expect(reader.terminationStatus == 0)
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outFile))) as? [String: Any])
        let polls = try #require(result["polls"] as? [[Any]])
        let seen = Set(try #require(result["seen"] as? [String]))
        #expect(polls.count >= 14, "the reader polled \(polls.count) times")
        var heldPolls = 0
        for poll in polls {
            let name = poll[0] as? String ?? "", rows = poll[1] as? Int ?? -1, doubled = poll[2] as? Int ?? -1, delta = poll[3] as? Int ?? -2
            #expect(doubled == 0, "a poll in phase \(name) saw \(doubled) rows twice")
            if let colon = name.firstIndex(of: ":"), let expected = Int(name[name.index(after: colon)...]) {
                #expect(rows == expected, "phase \(name): plain Parquet showed \(rows) rows")
                #expect(delta == expected, "phase \(name): the Delta log showed \(delta) rows")
                if name.hasPrefix("held") { heldPolls += 1 }
            }
        }
        #expect(heldPolls >= 5, "\(heldPolls) polls while the run was held")
        // Every row ever seen is a row of the final lake.
        let lake = try fixture.query("SELECT agent_id || '|' || session_id || '|' || entry_id FROM requests").map { $0[0] }
        #expect(lake.count == Int(final))
        #expect(seen.isSubset(of: Set(lake)), "rows seen that the lake does not hold: \(seen.subtracting(lake).prefix(5))")
    }
}
