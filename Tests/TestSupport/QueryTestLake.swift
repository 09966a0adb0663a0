import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Parquet
@testable import Lake
@testable import Pipeline
@testable import HomeBaseCLI

/// A small `requests` lake written row by row through LakeWriter and committed in the catalog,
/// so query tests know every value (and can add later snapshots for `--as-of`).
struct QueryTestLake {
    struct Call {
        var ts: String
        var model = "m1"
        var provider = "p1"
        var agent = "main"
        var session = "s1"
        var entry = "e"
        var cost = 0.0
        var latency: Double? = nil
        var status = "ok"
        var errorClass: String? = nil
        var retryOf: String? = nil
        var message: String? = nil
        /// Every token count of the call (default 10·(its index + 1)).
        var tokens: Int64? = nil
        /// A stored `ts` as is (for values ingest refuses, as an older build or another tool wrote them), in partition 2026-01-01.
        var rawMicros: Int64? = nil
    }

    let dir = TemporaryDirectory("homebase-query")
    var dataDir: String { dir.path + "/data" }

    /// Commits `calls` as one new snapshot at `committedMicros`; returns the snapshot id.
    /// `options`: how the parts are laid out (small `rowGroupBytes` gives several row groups per part).
    @discardableResult
    func commit(_ calls: [Call], committedMicros: Int64, options: WriterOptions = WriterOptions()) throws -> Int64 {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let catalog = try Catalog(dataDir: dataDir)
        let (writer, snapshot) = try catalog.database.transaction { () throws -> (LakeWriter, Int64) in
            let run = try catalog.beginRun(command: "test", startedMicros: committedMicros)
            let snapshot = try catalog.newSnapshot(runID: run, committedMicros: committedMicros, note: "test")
            let writer = LakeWriter(dataDir: dataDir, snapshot: snapshot, options: options)
            for (n, call) in calls.enumerated() {
                let micros = try call.rawMicros ?? #require(ISO8601Time.micros(call.ts))
                try writer.append(.requests, date: call.rawMicros == nil ? UTCDate.dateString(micros: micros) : "2026-01-01") { c in
                    c[0].append(micros)
                    c[1].append(call.agent); c[2].append(call.session); c[3].append(call.entry + String(n))
                    c[4].append(call.provider); c[5].append(call.model); c[6].append("api")
                    for k in 7...11 { c[k].append(call.tokens ?? Int64(10 * (n + 1))) }
                    c[12].append(call.cost); c[13].append(Optional(call.cost)); c[14].append(Double?.none)
                    c[15].append("logged"); c[16].append(call.latency)
                    c[17].append(call.status == "ok" ? "stop" : "error"); c[18].append(call.status)
                    c[19].append(call.errorClass); c[20].append(call.message); c[21].append(call.retryOf)
                    c[22].append(Int32(0)); c[23].append("src.jsonl"); c[24].append(Int64(n + 1))
                }
            }
            try writer.flushAll()
            for part in writer.written { try catalog.addPart(part, snapshot: snapshot) }
            try catalog.finishRun(run, status: "ok", finishedMicros: committedMicros, summary: "{}")
            return (writer, snapshot)
        }
        _ = try LakeCommit.afterCommit(writer: writer, catalog: catalog, snapshot: snapshot, committedMicros: committedMicros)
        return snapshot
    }

    /// Runs `homebase query` with `arguments` (after `--data DIR`); exit code, stdout, stderr.
    func cli(_ arguments: [String]) -> (ExitCode, String, String) {
        let console = Console.capturing()
        let code = CommandLineTool.run(["query", "--data", dataDir] + arguments, console: console)
        return (code, console.capturedOut, console.capturedErr)
    }

    func remove() { dir.remove() }
}
