import Foundation
import HomeBaseCore

/// One JSON line per stage appended to `<data>/logs/nightly.jsonl`, so a cron run leaves a
/// machine-readable trail even when nobody reads its mail.
struct NightlyLog {
    let path: String

    init(dataDir: String) {
        path = dataDir + "/logs/nightly.jsonl"
    }

    /// The stage's outcome plus when, which run and which day it acted as.
    private struct Line: Encodable {
        var at: String
        var run: String
        var today: String
        var stage: String
        var status: StageOutcome.Status
        var seconds: Double
        var summary: String
        var notes: [String]
    }

    func append(run: String, today: String, _ outcome: StageOutcome, atMicros: Int64) {
        let line = Line(
            at: UTCDate.isoString(micros: atMicros), run: run, today: today, stage: outcome.stage, status: outcome.status,
            seconds: (outcome.seconds * 1000).rounded() / 1000, summary: outcome.summary, notes: outcome.notes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(line) else { return }
        data.append(UInt8(ascii: "\n"))
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data)
    }
}
