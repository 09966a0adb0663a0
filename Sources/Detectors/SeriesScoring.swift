import Foundation
import HomeBaseCore

/// What `scoreSeries` did: counts by status, the alerts, the season found and the bad lines.
package struct ScoringSummary: Sendable, Equatable, Codable {
    package var points = 0
    package var scored = 0
    package var warmingUp = 0
    package var missing = 0
    package var alerts = 0
    package var levelShifts = 0
    /// The season used: "none", "daily (24 phases)", "weekly (7 phases)"…; "unknown" if still warming up.
    package var season = "unknown"
    /// Lines skipped (only with `skipBadLines`), all counted, the first 20 kept.
    package var badLineCount = 0
    package var badLines: [SeriesError] = []

    enum CodingKeys: String, CodingKey {
        case points, scored, missing, alerts, season
        case warmingUp = "warming_up", levelShifts = "level_shifts", badLineCount = "bad_line_count", badLines = "bad_lines"
    }
}

/// Scores every point of the series in `input` (a `timestamp,value` CSV) with one causal
/// `AnomalyScorer` and writes `timestamp,value,anomaly_score,status,expected` to `output`
/// (standard output when nil or "-"), streaming: memory does not grow with the series.
/// The timestamp is copied as written; score and expected are empty while warming up or missing.
/// - Throws: `SeriesError` for an unreadable input, an unwritable output, or (unless
///   `skipBadLines`) the first bad line; with `skipBadLines` bad lines are counted in the summary.
package func scoreSeries(
    input: String, output: String?, configuration: AnomalyScorer.Configuration = .init(),
    skipBadLines: Bool = false
) throws(SeriesError) -> ScoringSummary {
    let reader = try SeriesReader(path: input)
    let out = try OutputFile(path: output)
    try out.write("timestamp,value,anomaly_score,status,expected\n")
    var scorer = AnomalyScorer(configuration: configuration)
    var summary = ScoringSummary()
    while true {
        let point: SeriesPoint
        do {
            guard let next = try reader.next() else { break }
            point = next
        } catch {
            guard skipBadLines, error.code != .cannotOpen else { throw error }
            summary.badLineCount += 1
            if summary.badLines.count < 20 { summary.badLines.append(error) }
            continue
        }
        let score = scorer.score(point)
        summary.points += 1
        switch score.status {
        case .warmingUp: summary.warmingUp += 1
        case .missing: summary.missing += 1
        case .scored: summary.scored += 1
        case .levelShift:
            summary.scored += 1
            summary.levelShifts += 1
        }
        if score.isAlert { summary.alerts += 1 }
        var line = CSVField.minimal(reader.timestampText)
        line += ","
        if let v = point.value { line += "\(v)" }
        line += ","
        if let s = score.score { line += CSVText.fixed6(s) }
        line += "," + score.status.rawValue + ","
        if let e = score.expected, score.status != .warmingUp { line += "\(e)" }
        line += "\n"
        try out.write(line)
    }
    try out.finish()
    summary.season = scorer.season.map(\.label) ?? "unknown"
    return summary
}

extension Season {
    /// "none", "daily (288 phases)", "weekly (7 phases)".
    package var label: String {
        phases <= 1 ? "none" : (length == Season.day ? "daily" : "weekly") + " (\(phases) phases)"
    }
}

/// Small CSV text helpers for the writers.
enum CSVText {
    /// A value in [0, 1] with 6 decimals, without Foundation's formatter (fast for millions of lines).
    static func fixed6(_ value: Double) -> String {
        let micro = Int((min(max(value, 0), 1) * 1_000_000).rounded())
        if micro >= 1_000_000 { return "1.000000" }
        let digits = String(micro)
        return "0." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
