import SQLiteStore
import Lake
/// What one ingest run did; printed for people and as JSON (`--format json`) for scripts.
package struct IngestSummary: Codable, Sendable, Equatable {
    package var snapshot: Int64?
    package var filesRead = 0
    package var filesSkippedUnchanged = 0
    package var filesRewritten = 0
    package var filesUnreadable: [String] = []
    package var filesIgnored: [String] = []
    package var bytesRead: Int64 = 0
    package var linesRead: Int64 = 0
    package var calls = 0
    package var duplicateCalls = 0
    package var errorCalls = 0
    package var errorsByClass: [String: Int] = [:]
    package var gatewayEvents = 0
    package var invoiceFiles = 0
    package var invoiceLines = 0
    /// Invoice lines dropped because a newer export of the same provider, kind and day replaced them.
    package var invoiceLinesSuperseded = 0
    package var quarantinedLines = 0
    package var tornLinesPending = 0
    package var negativeLatencies = 0
    package var rewrittenEntryTimestamps = 0
    package var unpricedCalls = 0
    package var unpricedModels: [String] = []
    package var costUSD: Double = 0
    package var firstCall: String?
    package var lastCall: String?
    /// Every transcript source found, by kind (jsonl, archive_file, archive_row, store_events,
    /// import_archive): read, unchanged, or not read (each not-read one is also a warning).
    package var sources = SourceKindCounts()
    /// OpenClaw SQLite session stores (`agents/*/agent/openclaw-agent.sqlite`): databases and
    /// sessions with new events, events read, archive rows read, stores in which some session
    /// changed under its mark (replaced, restored, vacuumed or rolled back) and how many such
    /// sessions were read again from the start, and unreadable events per store.
    package var storeDatabasesRead = 0
    package var storeSessionsRead = 0
    package var storeEventsRead: Int64 = 0
    package var storeArchiveRowsRead = 0
    package var storeDatabasesReplaced = 0
    package var storeSessionsReconciled = 0
    package var storeUnreadableEvents: [String: Int] = [:]
    /// Host samples folded from the spool into `host_samples` (docs/health.md), samples skipped
    /// because their `(host, ts_us)` was already there, spool lines that were not samples, and the
    /// bytes of a torn last line (a sampler killed mid-write).
    package var hostSamples = 0
    package var hostSamplesDuplicate = 0
    package var hostSampleBadLines = 0
    package var hostSampleTornBytes = 0
    package var partsWritten = 0
    /// Days of `requests` whose committed parts were read to know which calls the lake already
    /// holds, and the rows hashed: only the days this run's new calls fall in.
    package var identityPartitionsRead = 0
    package var identityRowsRead = 0
    package var partsCompacted = 0
    package var elapsedSeconds: Double = 0
    /// What the start of the run finished or undid of an earlier run (staging, retired parts, Delta logs).
    package var recovery = LakeRecovery.Report()
    /// Seconds from the catalog COMMIT to the last Delta commit (moves into `tables/` and the Delta logs).
    package var publishSeconds: Double = 0
    /// Why the Delta logs could not be written after the commit (the next run catches them up).
    package var deltaLogError: String?

    package init() {}

    package var megabytesPerSecond: Double {
        elapsedSeconds > 0 ? Double(bytesRead) / 1_048_576 / elapsedSeconds : 0
    }

    /// True when the run succeeded but something needs a person's attention (exit code 3).
    package var hasWarnings: Bool {
        quarantinedLines > 0 || unpricedCalls > 0 || !filesUnreadable.isEmpty || !storeUnreadableEvents.isEmpty || hostSampleBadLines > 0
            || deltaLogError != nil
    }

    /// The summary as plain lines for a terminal or a cron mail.
    package func text(dataDir: String) -> String {
        var lines: [String] = []
        let snap = snapshot.map { "snapshot \($0)" } ?? "no new snapshot (nothing changed)"
        lines.append("ingest: \(snap) in \(dataDir)")
        lines.append(
            "  files: \(filesRead) read, \(filesSkippedUnchanged) unchanged, \(filesRewritten) rewritten, \(filesUnreadable.count) unreadable")
        lines.append("  read: \(bytesRead) bytes, \(linesRead) lines in \(format(elapsedSeconds)) s (\(format(megabytesPerSecond)) MB/s)")
        lines.append("  calls: \(calls) new (\(errorCalls) failed, \(duplicateCalls) duplicates skipped), cost $\(format(costUSD, digits: 4))")
        if !errorsByClass.isEmpty {
            lines.append("  errors by class: " + errorsByClass.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if !sources.tallies.isEmpty { lines.append("  sources: " + sources.text) }
        if storeDatabasesRead + storeDatabasesReplaced + storeArchiveRowsRead > 0 || !storeUnreadableEvents.isEmpty {
            lines.append(
                "  sqlite stores: \(storeDatabasesRead) read, \(storeSessionsRead) sessions, \(storeEventsRead) new events, "
                    + "\(storeArchiveRowsRead) archive rows; \(storeSessionsReconciled) sessions changed under their mark "
                    + "(store replaced or rolled back) were read again, their calls matched by identity")
        }
        lines.append("  gateway events: \(gatewayEvents)")
        if hostSamples + hostSamplesDuplicate + hostSampleBadLines > 0 {
            lines.append("  host samples: \(hostSamples) folded into host_samples, \(hostSamplesDuplicate) already there")
        }
        if invoiceFiles > 0 || invoiceLinesSuperseded > 0 {
            lines.append("  invoices: \(invoiceFiles) files read, \(invoiceLines) lines, \(invoiceLinesSuperseded) superseded by newer exports")
        }
        if let firstCall, let lastCall { lines.append("  date range: \(firstCall) .. \(lastCall)") }
        lines.append("  parts written: \(partsWritten)" + (partsCompacted > 0 ? ", \(partsCompacted) compacted" : ""))
        if recovery.rolledForward + recovery.stagedDeleted > 0 {
            lines.append(
                "  recovered: \(recovery.rolledForward) committed parts moved into tables/, \(recovery.stagedDeleted) uncommitted staged files deleted"
            )
        }
        lines += warnings(dataDir: dataDir).map { "warning: " + $0 }
        if tornLinesPending > 0 { lines.append("note: \(tornLinesPending) files end in a line still being written; the next run reads it") }
        if rewrittenEntryTimestamps > 0 {
            lines.append("note: \(rewrittenEntryTimestamps) calls have an entry time rewritten long after the call; latency recorded as unknown")
        }
        if negativeLatencies > 0 { lines.append("note: \(negativeLatencies) calls logged an end before their start; latency recorded as unknown") }
        return lines.joined(separator: "\n")
    }

    /// What needs a person's attention, one line each (the `warning:` lines of `text`).
    package func warnings(dataDir: String) -> [String] {
        var lines: [String] = []
        if quarantinedLines > 0 {
            lines.append(
                "\(quarantinedLines) bad lines quarantined; file, line and reason: "
                    + "homebase query \"SELECT source_file, source_line, reason FROM quarantine\" --data \(dataDir)")
        }
        if unpricedCalls > 0 {
            lines.append(
                "\(unpricedCalls) calls of models with no price: \(unpricedModels.joined(separator: ", ")) (add them with homebase prices import, to \(dataDir)/prices.json, or to prices.overrides in the config)"
            )
        }
        for file in filesUnreadable { lines.append("unreadable: \(file)") }
        if hostSampleBadLines > 0 || hostSampleTornBytes > 0 {
            lines.append(
                "\(dataDir)/spool/host_samples.jsonl: \(hostSampleBadLines) lines were not samples and \(hostSampleTornBytes) bytes of a torn last line were dropped (a sampler killed mid-write, or a hand edit)"
            )
        }
        for (store, count) in storeUnreadableEvents.sorted(by: { $0.key < $1.key }) {
            lines.append(
                "\(store): \(count) \(count == 1 ? "event" : "events") unreadable (a body that is not a JSON line, or a session_id or seq of the wrong type), quarantined with the reason"
            )
        }
        if let deltaLogError {
            lines.append(
                "the Delta logs under \(dataDir)/tables/*/_delta_log lag the catalog: \(deltaLogError) (the next ingest catches them up; fix the cause above)"
            )
        }
        return lines
    }

    private func format(_ value: Double, digits: Int = 2) -> String {
        var s = String(Int64((value * pow10(digits)).rounded()))
        while s.count <= digits { s = "0" + s }
        let cut = s.index(s.endIndex, offsetBy: -digits)
        return s[..<cut] + "." + s[cut...]
    }

    private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { a, _ in a * 10 } }
}
