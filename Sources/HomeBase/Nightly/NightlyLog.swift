import Foundation

/// One JSON line per stage appended to `<data>/logs/nightly.jsonl`, so a cron run leaves a
/// machine-readable trail even when nobody reads its mail.
struct NightlyLog {
    let path: String

    init(dataDir: String) {
        path = dataDir + "/logs/nightly.jsonl"
    }

    func append(run: String, today: String, _ outcome: StageOutcome, atMicros: Int64) {
        let fields: [(String, String)] = [
            ("at", JSONQuote.quote(UTCDate.isoString(micros: atMicros))), ("run", JSONQuote.quote(run)),
            ("today", JSONQuote.quote(today)), ("stage", JSONQuote.quote(outcome.stage)),
            ("status", JSONQuote.quote(outcome.status.rawValue)), ("seconds", String(format: "%.3f", outcome.seconds)),
            ("summary", JSONQuote.quote(outcome.summary)),
            ("notes", "[" + outcome.notes.map(JSONQuote.quote).joined(separator: ",") + "]"),
        ]
        let line = "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(line.utf8))
    }
}
