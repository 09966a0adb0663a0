import Foundation
import SQLiteStore
import Detectors
import Pipeline

/// `homebase anomalies score`: causal anomaly scores of any metric series (see docs/detectors.md).
struct AnomaliesCommand: Command {
    let name = "anomalies"
    let summary = "score any timestamp,value series for anomalies (causal, streaming)"
    let help = """
        usage: homebase anomalies score --series FILE.csv [--out FILE.csv] [--skip-bad-lines]

        Reads a CSV whose header names a timestamp and a value column (YYYY-MM-DD,
        YYYY-MM-DD HH:MM:SS or ISO-8601 timestamps, in increasing time, regular or irregular
        spacing; an empty value or NA is a missing point) and writes
        timestamp,value,anomaly_score,status,expected to --out (written whole or not at all)
        or to standard output. The score is in [0, 1] and uses only the points up to its own:
        0.5 is the alert threshold (|z| = 4), a level shift becomes the new normal after 3
        points, and the first points (3 cycles of the season found, at least 14) are
        warming_up with no score. The summary goes to standard error (to standard output
        with --out).

          --series FILE       the input series (required)
          --out FILE          where to write the scores (default: standard output)
          --skip-bad-lines    count and report bad lines and go on (exit 3) instead of
                              stopping at the first one (exit 1)

        A bad line is reported with its file, line number and the fix.
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ["series", "out"], switches: ["skip-bad-lines"], maxPositionals: 1))
        guard parsed.positionals == ["score"] else { throw UsageError("expected the subcommand score (see --help)") }
        guard let series = parsed.value("series") else { throw UsageError("--series FILE.csv is required") }
        let out = parsed.value("out")
        let summary: ScoringSummary
        do {
            summary = try scoreSeries(input: series, output: out, skipBadLines: parsed.has("skip-bad-lines"))
        } catch {
            console.err("homebase anomalies: \(error)")
            return .failure
        }
        let report = { (text: String) in out == nil || out == "-" ? console.err(text) : console.out(text) }
        report(
            "\(summary.points) points: \(summary.scored) scored, \(summary.warmingUp) warming up, \(summary.missing) missing; "
                + "\(summary.alerts) alerts (score >= 0.5), \(summary.levelShifts) level shifts; season \(summary.season)")
        if summary.scored == 0 {
            report("insufficient history: no point was scored (the warm-up needs 3 cycles of the season and at least 14 values)")
        }
        guard summary.badLineCount > 0 else { return .success }
        console.err("homebase anomalies: \(summary.badLineCount) bad lines skipped; the first \(summary.badLines.count):")
        for error in summary.badLines { console.err("  \(error)") }
        return .warnings
    }
}
