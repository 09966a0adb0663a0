import Foundation
@testable import HomeBaseCore
@testable import Lake
@testable import Analytics

/// A lake written row by row for the recommendation tests: each row is one `requests` call with
/// only the fields the rules read set by the test; the rest get plain defaults.
struct RecommendationLake {
    struct Row {
        var ts: Int64  // epoch µs
        var agent = "main"
        var session = "s1"
        var entry = ""
        var provider = "anthropic"
        var model = "claude-sonnet-4-5"
        var input: Int64 = 0, output: Int64 = 0, cacheRead: Int64 = 0, cacheWrite: Int64 = 0
        var cost = 0.0
        var status = "ok"
        var errorClass: String?
        var retryOf: String?
        var toolCalls: Int32 = 0
    }

    let dir = TemporaryDirectory("homebase-recs")
    var dataDir: String { dir.path + "/data" }

    /// Epoch µs of `date` (YYYY-MM-DD) plus `seconds`.
    static func micros(_ date: String, _ seconds: Double = 0) -> Int64 {
        (UTCDate.parseDate(date) ?? 0) * 86_400_000_000 + Int64(seconds * 1_000_000)
    }

    /// Writes `rows` as one committed snapshot (entry ids default to `e<index>`).
    func write(_ rows: [Row]) throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let catalog = try Catalog(dataDir: dataDir)
        let run = try catalog.beginRun(command: "test", startedMicros: 1)
        try catalog.database.execute("BEGIN IMMEDIATE")
        let snapshot = try catalog.newSnapshot(runID: run, committedMicros: 1, note: "test")
        let writer = LakeWriter(dataDir: dataDir, snapshot: snapshot)
        for (index, row) in rows.enumerated() {
            try writer.append(.requests, date: UTCDate.dateString(micros: row.ts)) { c in
                c[0].append(row.ts); c[1].append(row.agent); c[2].append(row.session)
                c[3].append(row.entry.isEmpty ? "e\(index)" : row.entry)
                c[4].append(row.provider); c[5].append(row.model); c[6].append("test-api")
                c[7].append(row.input); c[8].append(row.output); c[9].append(row.cacheRead); c[10].append(row.cacheWrite)
                c[11].append(row.input + row.output + row.cacheRead + row.cacheWrite)
                c[12].append(row.cost); c[13].append(row.cost); c[14].append(nil as Double?); c[15].append("logged")
                c[16].append(1000.0); c[17].append(row.status == "ok" ? (row.toolCalls > 0 ? "toolUse" : "stop") : "error")
                c[18].append(row.status); c[19].append(row.errorClass); c[20].append(row.errorClass.map { "failed: \($0)" })
                c[21].append(row.retryOf); c[22].append(row.toolCalls); c[23].append("test.jsonl"); c[24].append(Int64(index + 1))
            }
        }
        try writer.flushAll()
        for part in writer.written { try catalog.addPart(part, snapshot: snapshot) }
        try catalog.database.execute("COMMIT")
        _ = try LakeCommit.afterCommit(writer: writer, catalog: catalog, snapshot: snapshot, committedMicros: 1)
    }

    func recommend(from: String, to: String, _ configure: (inout RecommendationOptions) -> Void = { _ in }) throws -> [Recommendation] {
        var options = RecommendationOptions()
        configure(&options)
        return try Recommender(options: options).run(dataDir: dataDir, from: from, to: to)
    }

    func remove() { dir.remove() }
}
