import Foundation

/// What the SQLite session stores hold for this run: per store, the sessions with new events.
struct SessionStorePlan {
    struct Work: Sendable {
        var session: SessionStoreReader.Session
        var from: Int64
        var parserState: String?
    }

    struct Store {
        var file: SessionStoreFile
        var reader: SessionStoreReader
        var work: [Work]
    }

    var stores: [Store] = []
    /// `<agentDir>\0<sessionId>` of every session in a store: its JSONL files are not read.
    var sessions: Set<String> = []

    /// True when `file`'s session is in the SQLite store of its agent (the store's rows win).
    func supersedes(_ file: TranscriptFile) -> Bool {
        guard !sessions.isEmpty else { return false }
        let agentDir = SessionStoreDiscovery.agentDir(of: file)
        return SessionStoreDiscovery.sessionIds(of: file).contains { sessions.contains(agentDir + "\u{0}" + $0) }
    }
}

/// Reading OpenClaw's SQLite session stores (openclaw-logs.md §1.3) into the lake, beside the
/// JSONL files: a per-store, per-session `seq` high-water mark, and a store that was replaced or
/// went backwards is re-read with its earlier rows removed.
extension Ingestor {
    /// Events read per query: each query is one short read transaction.
    static let storeBatchSize = 2000

    /// Opens every store, checks whether it was replaced, and lists the sessions with new events.
    func planStores(writer: LakeWriter, snapshot: Int64, retired: inout [Int64]) throws -> SessionStorePlan {
        var plan = SessionStorePlan()
        for dir in options.openclawDirs {
            for file in SessionStoreDiscovery.databases(stateDir: dir) {
                let reader: SessionStoreReader
                let sessions: [SessionStoreReader.Session]
                var marks: [String: Catalog.StoreMark]
                var replaced: Bool
                do {
                    reader = try SessionStoreReader(path: file.path)
                    sessions = try reader.sessions()
                    marks = try catalog.storeMarks(path: file.path)
                    let known = try catalog.storeIdentity(path: file.path)
                    replaced = known != nil && known != reader.identity
                    for session in sessions where !replaced {
                        guard let mark = marks[session.id] else { continue }
                        // Went backwards, or the event at the mark is gone or different: not the store we read.
                        let body = try reader.event(session: session.id, seq: mark.seq)
                        replaced = session.maxSeq < mark.seq || body.map(SessionStoreReader.hash) != mark.lastHash
                    }
                } catch {
                    summary.filesUnreadable.append("\(error)")
                    continue
                }
                if replaced {
                    summary.storeDatabasesReplaced += 1
                    try removeRows(of: file.path, writer: writer, snapshot: snapshot, retired: &retired)
                    try catalog.forgetStore(path: file.path)
                    marks = [:]
                }
                try catalog.saveStoreIdentity(path: file.path, identity: reader.identity, snapshot: snapshot)
                var work: [(created: String, work: SessionStorePlan.Work)] = []
                for session in sessions {
                    plan.sessions.insert(file.agentDir + "\u{0}" + session.id)
                    let mark = marks[session.id]
                    guard session.maxSeq > mark?.seq ?? Int64.min else { continue }
                    let created: String
                    do { created = try reader.firstCreated(session: session.id) } catch {
                        summary.filesUnreadable.append("\(error)")
                        continue
                    }
                    work.append((created, .init(session: session, from: mark?.seq ?? Int64.min, parserState: mark?.parserState)))
                }
                work.sort { ($0.created, $0.work.session.id) < ($1.created, $1.work.session.id) }
                plan.stores.append(SessionStorePlan.Store(file: file, reader: reader, work: work.map(\.work)))
            }
        }
        return plan
    }

    /// Leaves out a JSONL file whose session is in a store; rows it gave in earlier runs are
    /// removed so that the store's rows replace them. True when the file is left out.
    func supersededByStore(_ file: TranscriptFile, plan: SessionStorePlan, writer: LakeWriter, snapshot: Int64,
                           retired: inout [Int64]) throws -> Bool {
        guard plan.supersedes(file) else { return false }
        summary.jsonlSupersededByStore += 1
        if try catalog.source(path: file.path) != nil {
            try removeRows(of: file.path, writer: writer, snapshot: snapshot, retired: &retired)
            try catalog.forgetSource(path: file.path)
        }
        return true
    }

    /// Reads the new events of every planned session into the lake; returns how many sessions
    /// changed. Sessions are read in parallel (one read-only connection per worker) in rounds,
    /// and absorbed in plan order, so the result does not depend on the number of workers.
    func readStores(_ plan: SessionStorePlan, writer: LakeWriter) throws -> Int {
        var changed = 0
        for store in plan.stores where !store.work.isEmpty {
            let path = store.file.path
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
                    guard read.batch.lastSeq > work.from else { continue }
                    let mark = Catalog.StoreMark(seq: read.batch.lastSeq, parserState: read.parserState,
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
        let slots = SessionReadSlots(count: round.count)
        let workers = max(1, min(options.parallelism, round.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var reader: SessionStoreReader?
            while let i = slots.next() {
                let work = round[i]
                do {
                    let open = try reader ?? SessionStoreReader(path: store.path)
                    reader = open
                    slots.set(i, SessionStoreScan.read(work.session, from: work.from, parserState: work.parserState,
                                                       agentId: store.agentId, reader: open, batchSize: Ingestor.storeBatchSize))
                } catch {
                    slots.set(i, SessionStoreScan.SessionRead(batch: .init(lastSeq: work.from), parserState: work.parserState ?? "",
                                                              quality: TranscriptQuality(), failure: "\(error)"))
                }
            }
        }
        return slots.values
    }

    /// Adds one batch of store events to the lake: calls (deduplicated with the JSONL ones) and
    /// unreadable events, quarantined with the store path, `seq` and reason.
    private func absorb(_ batch: SessionStoreScan.Batch, store path: String, writer: LakeWriter) throws {
        summary.storeEventsRead += Int64(batch.events)
        for call in batch.calls { try absorb(call, path: path, writer: writer) }
        guard !batch.bad.isEmpty else { return }
        let now = options.now()
        let date = UTCDate.dateString(micros: now)
        try note(table: LakeTable.quarantine, date: date, path: path)
        for bad in batch.bad {
            try writer.append(.quarantine, date: date) { c in
                c[0].append(now); c[1].append(path); c[2].append(bad.seq); c[3].append(Int64(0))
                c[4].append(bad.reason); c[5].append(bad.excerpt)
            }
            summary.quarantinedLines += 1
        }
        summary.storeUnreadableEvents[path, default: 0] += batch.bad.count
    }
}

/// Per-session results filled by the parallel store readers, plus their shared work counter.
private final class SessionReadSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [SessionStoreScan.SessionRead?]
    private var taken = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next session index to read, or nil when all are taken.
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard taken < slots.count else { return nil }
        taken += 1
        return taken - 1
    }

    func set(_ i: Int, _ value: SessionStoreScan.SessionRead) { lock.lock(); slots[i] = value; lock.unlock() }

    /// Every slot; one a worker never filled (impossible) reads as nothing read.
    var values: [SessionStoreScan.SessionRead] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0 ?? SessionStoreScan.SessionRead(batch: .init(lastSeq: .min), parserState: "", quality: TranscriptQuality()) }
    }
}
