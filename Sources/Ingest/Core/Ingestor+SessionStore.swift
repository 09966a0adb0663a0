import Foundation
import HomeBaseCore
import SQLiteStore
import Lake

/// What the SQLite session stores hold for this run: per store, the sessions with new events
/// and the archive rows not read yet.
struct SessionStorePlan {
    struct Work: Sendable {
        var session: SessionStoreReader.Session
        var from: SessionStoreReader.Position
        var parserState: String?
    }

    struct Store {
        var file: SessionStoreFile
        var reader: SessionStoreReader
        var work: [Work]
        var archives: [SessionStoreReader.Archive]
        /// Archive rows that failed a checksum or decode in an earlier run (warned about again).
        var failedArchives: [SessionStoreReader.Archive]
    }

    var stores: [Store] = []
}

/// Reading OpenClaw's SQLite session stores (openclaw-logs.md §1.3) into the lake, beside the
/// JSONL files: live `transcript_events` by a per-session (`seq`, `rowid`) mark, and archived
/// transcripts in `session_transcript_archives` once per row. A session whose event at the mark
/// is gone or different (a store replaced, restored, vacuumed or rolled back) is read again from
/// its start; its calls are deduplicated by their own identity, so nothing counts twice and no
/// call still in some copy is lost.
extension Ingestor {
    /// Events read per query: each query is one short read transaction.
    static let storeBatchSize = 2000

    /// Opens every store, checks each session's mark, and lists what to read.
    func planStores(writer: LakeWriter, snapshot: Int64) throws -> SessionStorePlan {
        var plan = SessionStorePlan()
        for dir in options.openclawDirs {
            for file in SessionStoreDiscovery.databases(stateDir: dir) {
                let reader: SessionStoreReader
                let sessions: [SessionStoreReader.Session]
                let archives: [SessionStoreReader.Archive]
                let marks: [String: Catalog.StoreMark]
                let seenArchives: [String: String]
                let odd: (count: Int64, sample: [SessionStoreReader.OddEvent])
                var work: [(created: String, work: SessionStorePlan.Work)] = []
                var reconciled = 0
                do {
                    reader = try SessionStoreReader(path: file.path)
                    sessions = try reader.sessions()
                    archives = try reader.archives()
                    marks = try catalog.storeMarks(path: file.path)
                    seenArchives = try catalog.storeArchives(path: file.path)
                    odd = try reader.oddEvents()
                    for session in sessions {
                        var from = SessionStoreReader.Position.start
                        var state: String?
                        if let mark = marks[session.id] {
                            let body = try reader.event(session: session.id, at: SessionStoreReader.Position(seq: mark.seq, rowid: mark.rowid))
                            if body.map(SessionStoreReader.hash) == mark.lastHash {
                                guard session.maxSeq > mark.seq else {
                                    summary.sources.count(.storeEvents, .unchanged)
                                    continue
                                }
                                from = SessionStoreReader.Position(seq: mark.seq, rowid: mark.rowid)
                                state = mark.parserState
                            } else {
                                reconciled += 1  // changed under the mark: read again, identities dedupe
                            }
                        }
                        work.append((try reader.firstCreated(session: session.id), .init(session: session, from: from, parserState: state)))
                    }
                } catch {
                    summary.filesUnreadable.append("\(error)")
                    summary.sources.count(.storeEvents, .notRead)
                    continue
                }
                if let problem = reader.archiveProblem {
                    summary.filesUnreadable.append("\(file.path): \(problem)")
                    summary.sources.count(.archiveRow, .notRead)
                }
                if reconciled > 0 {
                    summary.storeDatabasesReplaced += 1
                    summary.storeSessionsReconciled += reconciled
                }
                try quarantineOddEvents(odd, store: file.path, writer: writer, snapshot: snapshot)
                work.sort { ($0.created, $0.work.session.id) < ($1.created, $1.work.session.id) }
                var fresh: [SessionStoreReader.Archive] = []
                var failed: [SessionStoreReader.Archive] = []
                for archive in archives {
                    switch seenArchives[archive.sessionId + "\u{0}" + archive.generation + "\u{0}" + archive.sha256] {
                    case "read"?: summary.sources.count(.archiveRow, .unchanged)
                    case "failed"?: failed.append(archive)
                    default: fresh.append(archive)
                    }
                }
                plan.stores.append(
                    SessionStorePlan.Store(
                        file: file, reader: reader, work: work.map(\.work),
                        archives: fresh, failedArchives: failed))
            }
        }
        return plan
    }

    /// Event rows with a wrong-typed `session_id` or `seq` go to the quarantine once (while their
    /// count stays the same) and are a warning on every run until the store is repaired.
    private func quarantineOddEvents(
        _ odd: (count: Int64, sample: [SessionStoreReader.OddEvent]), store path: String,
        writer: LakeWriter, snapshot: Int64
    ) throws {
        let mark = "odd:\(odd.count)"
        let known = try catalog.storeNote(path: path)
        if odd.count > 0 {
            summary.storeUnreadableEvents[path, default: 0] += Int(odd.count)
            if known != mark {
                for event in odd.sample {
                    try quarantine(source: path, line: event.rowid, offset: 0, reason: event.reason, excerpt: event.excerpt, writer: writer)
                }
            }
        }
        if known != mark && (known != nil || odd.count > 0) { try catalog.saveStoreNote(path: path, note: mark, snapshot: snapshot) }
    }

    /// Reads the archive rows and new events of every planned store into the lake; returns how many
    /// sources changed. Archive rows first (a reset session before the session that followed it),
    /// then sessions in parallel (one read-only connection per worker) in rounds, absorbed in plan
    /// order, so the result does not depend on the number of workers.
    func readStores(_ plan: SessionStorePlan, writer: LakeWriter) throws -> Int {
        var changed = 0
        for store in plan.stores {
            let path = store.file.path
            for archive in store.failedArchives {
                summary.filesUnreadable.append(
                    "\(path): archive row \(archive.name) failed its checks in an earlier run "
                        + "(see the quarantine table); its calls are counted once a good copy is read")
                summary.sources.count(.archiveRow, .notRead)
            }
            var next = 0
            while next < store.archives.count {
                let round = Array(store.archives[next..<min(next + 64, store.archives.count)])
                next += round.count
                let agentId = store.file.agentId
                let reads = parallelReads(round.count, store: store.file) { i, reader in
                    SessionArchiveScan.read(round[i], agentId: agentId, reader: reader)
                } failed: { i, error in
                    var failed = SessionArchiveScan.ArchiveRead()
                    failed.failure = "\(error)"
                    return failed
                }
                for (archive, read) in zip(round, reads) {
                    try absorb(read, archive: archive, store: path, writer: writer)
                    changed += 1
                    FailPoint.reached("ingest-archive-row")
                }
            }
            var storeChanged = false
            var index = 0
            while index < store.work.count {
                let round = Array(store.work[index..<min(index + 256, store.work.count)])
                index += round.count
                for (work, read) in zip(round, readInParallel(round, store: store.file)) {
                    try absorb(read.batch, store: path, writer: writer)
                    if let failure = read.failure { summary.filesUnreadable.append(failure) }
                    summary.negativeLatencies += read.quality.negativeLatencies
                    summary.rewrittenEntryTimestamps += read.quality.rewrittenEntryTimestamps
                    guard read.batch.last > work.from else {
                        summary.sources.count(.storeEvents, read.failure == nil ? .unchanged : .notRead)
                        continue
                    }
                    summary.sources.count(.storeEvents, read.failure == nil ? .read : .notRead)
                    let mark = Catalog.StoreMark(
                        seq: read.batch.last.seq, rowid: read.batch.last.rowid, parserState: read.parserState,
                        lastHash: SessionStoreReader.hash(read.lastBody))
                    try catalog.saveStoreMark(path: path, session: work.session.id, mark: mark, snapshot: writer.snapshot)
                    summary.storeSessionsRead += 1
                    storeChanged = true
                    changed += 1
                }
            }
            if storeChanged { summary.storeDatabasesRead += 1 }
        }
        return changed
    }

    private func readInParallel(_ round: [SessionStorePlan.Work], store: SessionStoreFile) -> [SessionStoreScan.SessionRead] {
        parallelReads(round.count, store: store) { i, reader in
            let work = round[i]
            return SessionStoreScan.read(
                work.session, from: work.from, parserState: work.parserState,
                agentId: store.agentId, reader: reader, batchSize: Ingestor.storeBatchSize)
        } failed: { i, error in
            SessionStoreScan.SessionRead(
                batch: .init(last: round[i].from), parserState: round[i].parserState ?? "",
                quality: TranscriptQuality(), failure: "\(error)")
        }
    }

    /// Runs `read(i, reader)` for `0..<count` on the worker threads, each worker with its own
    /// read-only connection to the store; results in index order, so absorbing them is deterministic.
    private func parallelReads<T: Sendable>(
        _ count: Int, store: SessionStoreFile,
        _ read: @Sendable (Int, SessionStoreReader) -> T,
        failed: @Sendable (Int, Error) -> T
    ) -> [T] {
        let slots = ParallelSlots<T>(count: count)
        let workers = max(1, min(options.parallelism, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var reader: SessionStoreReader?
            while let i = slots.next() {
                do {
                    let open = try reader ?? SessionStoreReader(path: store.path)
                    reader = open
                    slots.set(i, read(i, open))
                } catch {
                    slots.set(i, failed(i, error))
                }
            }
        }
        return slots.values
    }

    /// Adds one archive row's calls (deduplicated like every other copy) and bad lines; a row
    /// that failed its checks is quarantined whole with the reason and warned about.
    private func absorb(
        _ read: SessionArchiveScan.ArchiveRead, archive: SessionStoreReader.Archive, store path: String,
        writer: LakeWriter
    ) throws {
        let source = SessionArchiveScan.sourceName(store: path, archive: archive)
        if let failure = read.failure {
            summary.filesUnreadable.append(failure)
            summary.sources.count(.archiveRow, .notRead)
            try quarantine(source: source, line: archive.rowid, offset: 0, reason: failure, excerpt: "", writer: writer)
            try catalog.saveStoreArchive(
                path: path, sessionId: archive.sessionId, generation: archive.generation, sha256: archive.sha256, status: "failed",
                snapshot: writer.snapshot)
            return
        }
        summary.sources.count(.archiveRow, .read)
        summary.storeArchiveRowsRead += 1
        summary.bytesRead += read.bytes
        summary.linesRead += read.lines
        summary.negativeLatencies += read.quality.negativeLatencies
        summary.rewrittenEntryTimestamps += read.quality.rewrittenEntryTimestamps
        for call in read.calls { try absorb(call, path: source, writer: writer) }
        for bad in read.bad {
            try quarantine(source: source, line: bad.line, offset: bad.offset, reason: bad.reason, excerpt: bad.excerpt, writer: writer)
        }
        try catalog.saveStoreArchive(
            path: path, sessionId: archive.sessionId, generation: archive.generation, sha256: archive.sha256, status: "read",
            snapshot: writer.snapshot)
    }

    /// Adds one batch of store events to the lake: calls (deduplicated with every other copy) and
    /// unreadable events, quarantined with the store path, `seq` and reason.
    private func absorb(_ batch: SessionStoreScan.Batch, store path: String, writer: LakeWriter) throws {
        summary.storeEventsRead += Int64(batch.events)
        for call in batch.calls { try absorb(call, path: path, writer: writer) }
        guard !batch.bad.isEmpty else { return }
        for bad in batch.bad {
            try quarantine(source: path, line: bad.seq, offset: 0, reason: bad.reason, excerpt: bad.excerpt, writer: writer)
        }
        summary.storeUnreadableEvents[path, default: 0] += batch.bad.count
    }
}
