import Dispatch
import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// `homebase ingest`: reads new transcript and gateway-log bytes into the lake and commits them
/// as one snapshot. Everything happens inside one catalog transaction, so a crash at any point
/// leaves the previous snapshot intact. Parts are written to a staging area and move into
/// `tables/` only after the COMMIT (`LakeCommit`); the next run finishes or undoes whatever a
/// crash left (`LakeRecovery`), so `tables/` and the Delta logs only ever show committed rows.
package final class Ingestor {
    let options: IngestOptions
    let catalog: Catalog
    let prices: PriceBook
    var summary = IngestSummary()
    var unpriced: [String: Int] = [:]
    /// The calls the lake already holds (by identity), made at the start of each run.
    private var identities: CallIdentities?
    /// The transcripts and gateway logs the catalog knows, loaded by the plan and saved through.
    private var known: KnownSources?
    private var touchedDates: Set<String> = []  // "table|date|path" already noted in the catalog
    private var lastDay: (day: Int64, text: String) = (.min, "")
    private var lastNote: (table: String, date: String, path: String) = ("", "", "")
    /// Price lookups normalise model names; a fleet uses a handful of models, so remember them.
    private var priceCache: [String: [String: ModelPrice?]] = [:]

    package init(options: IngestOptions) throws {
        self.options = options
        try FileManager.default.createDirectory(atPath: options.dataDir, withIntermediateDirectories: true)
        catalog = try Catalog(dataDir: options.dataDir)
        prices = try PriceBook.load(dataDir: options.dataDir, extraFile: options.priceFile, overrides: options.priceOverrides)
    }

    /// Runs one ingest; the caller holds the run lock.
    package func run() throws -> IngestSummary {
        let started = options.now()
        let clock = ContinuousClock.now
        summary.recovery = try Trace.span("ingest.recovery") { try LakeRecovery.recover(dataDir: options.dataDir, catalog: catalog) }
        let runID = try catalog.beginRun(command: "ingest", startedMicros: started)
        let database = catalog.database
        try database.execute("BEGIN IMMEDIATE")
        do {
            let snapshot = try catalog.newSnapshot(runID: runID, committedMicros: started, note: "ingest")
            let writer = LakeWriter(dataDir: options.dataDir, snapshot: snapshot, flushBytes: options.bufferBytes)
            identities = CallIdentities(parts: try catalog.liveParts(table: LakeTable.requests.name), locate: writer.location(of:))
            var retired: [Int64] = []
            let stores = try planStores(writer: writer, snapshot: snapshot)
            let scans = try Trace.span("ingest.plan") { try plan(writer: writer, snapshot: snapshot, retired: &retired) }
            // Discovery's lists (a year's 192 k names, listed on every CPU) are garbage now;
            // the heaps of the threads that made them would keep it for the whole run.
            MallocTuning.releaseFree()
            var changedSources = 0
            var absorbed = 0
            try Trace.span("ingest.read \(scans.count) files") {
                try readInParallel(scans) { scan, result in
                    if try self.absorb(scan, result, writer: writer, snapshot: snapshot) { changedSources += 1 }
                    absorbed += 1
                    if absorbed == scans.count / 2 { FailPoint.reached("ingest-files-half") }
                }
            }
            FailPoint.reached("ingest-files-done")
            changedSources += try readStores(stores, writer: writer)  // after the JSONL files: an original entry wins over its copy
            FailPoint.reached("ingest-stores-done")
            summary.identityPartitionsRead = identities?.partitionsLoaded ?? 0
            summary.identityRowsRead = identities?.rowsLoaded ?? 0
            changedSources += try ingestInvoices(writer: writer, snapshot: snapshot, retired: &retired)
            try known?.write()
            try writer.flushAll()
            FailPoint.reached("ingest-staged")
            for part in writer.written { try catalog.addPart(part, snapshot: snapshot) }
            for id in retired { try catalog.retirePart(id: id, snapshot: snapshot) }
            let compactionPaths = try Trace.span("ingest.compact") { try compact(writer: writer, snapshot: snapshot) }
            try PartChecksums.record(writer, in: catalog.database)
            summary.partsWritten = writer.written.count
            if writer.written.isEmpty && retired.isEmpty && changedSources == 0 {
                try database.execute("ROLLBACK")
                writer.discard()
                summary.snapshot = nil
            } else {
                try writer.makeDurable()  // every part on disk before the commit that makes them live
                FailPoint.reached("ingest-before-commit")
                try database.execute("COMMIT")
                FailPoint.reached("ingest-after-commit")
                summary.snapshot = snapshot
                let clockDelta = ContinuousClock.now
                summary.deltaLogError = try Trace.span("ingest.publish") {
                    try LakeCommit.afterCommit(
                        writer: writer, catalog: catalog, snapshot: snapshot, committedMicros: started, compactionPaths: compactionPaths)
                }
                summary.publishSeconds = clockDelta.secondsElapsed
            }
            if let samples = try foldHostSamples(runID: runID) { summary.snapshot = samples }
        } catch {
            try? database.execute("ROLLBACK")  // staged parts stay until the next start's recovery
            summary.elapsedSeconds = clock.secondsElapsed
            try? catalog.finishRun(runID, status: "failed", finishedMicros: options.now(), summary: "\(error)")
            throw error
        }
        identities = nil
        known = nil
        summary.unpricedModels = unpriced.keys.sorted()
        summary.elapsedSeconds = clock.secondsElapsed
        let json = (try? String(decoding: JSONEncoder().encode(summary), as: UTF8.self)) ?? "{}"
        try catalog.finishRun(runID, status: summary.hasWarnings ? "warnings" : "ok", finishedMicros: options.now(), summary: json)
        return summary
    }

    private func price(provider: String, model: String) -> ModelPrice? {
        if let known = priceCache[provider]?[model] { return known }
        let price = prices.price(provider: provider, model: model)
        priceCache[provider, default: [:]][model] = .some(price)
        return price
    }

    // MARK: Planning: which files, from where

    private func plan(writer: LakeWriter, snapshot: Int64, retired: inout [Int64]) throws -> [SourceScan] {
        var candidates: [(SourceScan.Kind, TranscriptFile?, String)] = []
        for dir in options.openclawDirs {
            let found = try Trace.span("ingest.discovery") { try TranscriptDiscovery.transcripts(stateDir: dir) }
            for file in TranscriptDiscovery.successorsLast(found.files) { candidates.append((.transcript, file, file.path)) }
            summary.filesIgnored += found.skipped.map { "\($0.path): \($0.reason)" }
        }
        for dir in options.gatewayDirs where FileManager.default.fileExists(atPath: dir) {
            for path in try TranscriptDiscovery.gatewayLogs(directory: dir) { candidates.append((.gateway, nil, path)) }
        }
        var scans: [SourceScan] = []
        var own: [Bool] = []  // scans of sessions' own files (rank 0), before their copies
        let knownSources = try catalog.knownSources(kinds: [SourceScan.Kind.transcript.rawValue, SourceScan.Kind.gateway.rawValue])
        known = knownSources
        for (kind, file, path) in candidates {
            if let file, let reason = file.unreadable {
                summary.filesUnreadable.append("\(path): \(reason)")
                summary.sources.count(file.sourceKind, .notRead)
                continue
            }
            // Listed transcripts come with what stat said then (one fstatat in their directory).
            guard let status = file?.status ?? DirectoryListing.FileStatus.of(path) else {
                summary.filesUnreadable.append("\(path): \(String(cString: strerror(errno)))")
                if let file { summary.sources.count(file.sourceKind, .notRead) }
                continue
            }
            let size = status.size
            let mtime = status.mtimeNanos
            if knownSources.isUnchanged(path: path, size: size, mtimeNanos: mtime) {
                summary.filesSkippedUnchanged += 1
                if let file { summary.sources.count(file.sourceKind, .unchanged) }
                continue
            }
            let known = knownSources[path]
            // One read of the head gives both the fingerprint to compare (over as many bytes as the
            // stored one covered) and the one to store now (over up to 4 KiB). A file not seen
            // before has nothing to compare: its worker reads the head (`SourceScan.read`), so
            // tens of thousands of new small files are not opened twice on this thread.
            let head = known == nil ? [] : Ingestor.head(path: path)
            var scan = SourceScan(
                kind: kind, path: path, agentId: file?.agentId ?? "", fileSessionId: file?.fileSessionId ?? "",
                size: size, mtimeNanos: mtime, fingerprint: known == nil ? "" : Ingestor.fingerprint(head, length: head.count),
                startOffset: 0, startLine: 0, parserState: nil)
            scan.compressed = file?.compressed ?? false
            scan.final = file?.isArchive ?? false
            scan.sourceKind = file?.sourceKind
            if let known {
                let comparable = Ingestor.fingerprint(head, length: Ingestor.fingerprintLength(known.fingerprint))
                if size >= known.offset && comparable == known.fingerprint && !scan.compressed {
                    scan.startOffset = known.offset
                    scan.startLine = known.lineCount
                    scan.parserState = known.parserState
                    if size == known.offset {
                        // Only the mtime changed: remember it, nothing to read.
                        try unchanged(known, mtime: mtime, file: file, snapshot: snapshot)
                        continue
                    }
                } else if scan.compressed && size == known.size && comparable == known.fingerprint {
                    // A compressed archive is read whole: the same size and head is the same archive.
                    try unchanged(known, mtime: mtime, file: file, snapshot: snapshot)
                    continue
                } else {
                    // Rewritten in place (shorter, or its first bytes changed). A transcript is read
                    // again from the start and its calls matched by identity: the ones already in
                    // the lake stay (they happened), new ones are added. A gateway log's rows are replaced.
                    summary.filesRewritten += 1
                    if kind == .gateway {
                        try removeRows(of: path, writer: writer, snapshot: snapshot, retired: &retired)
                        try catalog.forgetSource(path: path)
                    }
                }
            }
            scans.append(scan)
            own.append(file.map { TranscriptDiscovery.rank($0) == 0 } ?? false)
        }
        // Sessions' own files oldest change first: a session's file stops changing when it ends,
        // so a year of history arrives roughly day by day, and the writer can flush each day's
        // rows as one part once the day is done instead of holding all days at once (copies keep
        // their order after them, so an original still wins over its copies).
        // Sorted as indices: moving the scans themselves (a dozen fields, strings among them) was
        // a tenth of planning a year's 192 k files, before any file is read.
        var order = Array(scans.indices)
        order.withUnsafeMutableBufferPointer { order in
            var start = 0
            while start < scans.count {
                var end = start
                while end < scans.count && own[end] { end += 1 }
                order[start..<end].sort { a, b in
                    scans[a].mtimeNanos != scans[b].mtimeNanos ? scans[a].mtimeNanos < scans[b].mtimeNanos : scans[a].path < scans[b].path
                }
                start = end + 1
            }
        }
        // In place, cycle by cycle (a second array of 192 k scans raised the run's peak memory).
        var placed = [Bool](repeating: false, count: order.count)
        for i in order.indices where !placed[i] {
            var j = i
            while order[j] != i {
                scans.swapAt(j, order[j])
                placed[j] = true
                j = order[j]
            }
            placed[j] = true
        }
        return scans
    }

    /// A known file whose content did not change (only its mtime may have): remembered, not read.
    private func unchanged(_ known: SourceState, mtime: Int64, file: TranscriptFile?, snapshot: Int64) throws {
        var updated = known
        updated.mtimeNanos = mtime
        try self.known?.save(updated, snapshot: snapshot)
        summary.filesSkippedUnchanged += 1
        if let file { summary.sources.count(file.sourceKind, .unchanged) }
    }

    /// The first 4 KiB of a file (fewer when it is shorter; empty when unreadable).
    static func head(path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
    }

    /// `"<n>:<hash>"` of the first `min(head.count, length)` bytes.
    static func fingerprint(_ head: [UInt8], length: Int) -> String {
        let bytes = head.prefix(length)
        var hash = FNV1a()
        bytes.withUnsafeBytes { hash.add(bytes: $0) }
        return "\(bytes.count):" + String(hash.value, radix: 16)
    }

    static func fingerprintLength(_ fingerprint: String) -> Int {
        Int(fingerprint.prefix { $0 != ":" }) ?? 4096
    }

    // MARK: Reading

    /// Reads scans on the worker threads while this thread absorbs the results in input order
    /// (a bounded window of files read ahead, so memory stays bounded and both cores stay busy).
    private func readInParallel(_ scans: [SourceScan], _ body: (SourceScan, SourceScan.Result) throws -> Void) throws {
        guard !scans.isEmpty else { return }
        let sizes = scans.map { max(0, $0.size - $0.startOffset) }
        let workers = max(1, min(options.parallelism, scans.count))
        try OrderedPipeline<SourceScan.Result>.run(sizes: sizes, workers: workers, read: { scans[$0].read() }) { i, result in
            try body(scans[i], result)
        }
    }

    // MARK: Absorbing results into the lake

    /// Adds one file's rows to the lake and remembers where it stopped; false when nothing changed.
    private func absorb(_ scan: SourceScan, _ result: SourceScan.Result, writer: LakeWriter, snapshot: Int64) throws -> Bool {
        if let failure = result.failure {
            summary.filesUnreadable.append(failure)
            if let kind = scan.sourceKind { summary.sources.count(kind, .notRead) }
            return false
        }
        if let kind = scan.sourceKind { summary.sources.count(kind, .read) }
        if result.tornPending { summary.tornLinesPending += 1 }
        // Nothing consumed (at most a line still being written): nothing to remember yet.
        if result.endOffset == scan.startOffset && result.lines == 0 { return false }
        summary.filesRead += 1
        summary.bytesRead += result.bytes
        summary.linesRead += result.lines
        summary.negativeLatencies += result.quality.negativeLatencies
        summary.rewrittenEntryTimestamps += result.quality.rewrittenEntryTimestamps
        for call in result.calls { try absorb(call, path: scan.path, writer: writer) }
        for event in result.events {
            let date = dateString(micros: event.timestampMicros)
            try note(table: LakeTable.gatewayEvents, date: date, path: scan.path)
            try writer.append(.gatewayEvents, date: date) { c in
                c[0].append(event.timestampMicros); c[1].append(event.level); c[2].append(event.subsystem)
                c[3].append(event.event); c[4].append(event.provider); c[5].append(event.model); c[6].append(event.reason)
                c[7].append(event.httpStatus); c[8].append(event.runId); c[9].append(event.message)
                c[10].append(event.sourceFile); c[11].append(event.sourceLine)
            }
            summary.gatewayEvents += 1
        }
        for bad in result.bad {
            try quarantine(source: scan.path, line: bad.line, offset: bad.offset, reason: bad.reason, excerpt: bad.excerpt, writer: writer)
        }
        try known?.save(
            SourceState(
                path: scan.path, kind: scan.kind.rawValue, size: scan.size, mtimeNanos: scan.mtimeNanos,
                offset: result.endOffset, lineCount: result.endLine, fingerprint: result.fingerprint ?? scan.fingerprint,
                parserState: result.parserState), snapshot: writer.snapshot)
        return true
    }

    func absorb(_ call: CallRecord, path: String, writer: LakeWriter) throws {
        // The same entry copied into an archive or a compaction successor is one call.
        let date = dateString(micros: call.timestampMicros)
        guard try identities?.insert(call, date: date) ?? true else {
            summary.duplicateCalls += 1
            return
        }
        let priced = price(provider: call.provider, model: call.model)
        let tokens = call.inputTokens + call.outputTokens + call.cacheReadTokens + call.cacheWriteTokens
        let pricedCost: Double? =
            priced?.cost(
                input: call.inputTokens, output: call.outputTokens,
                cacheRead: call.cacheReadTokens, cacheWrite: call.cacheWriteTokens) ?? (tokens == 0 ? 0 : nil)
        let cost: Double
        let source: String
        if let logged = call.costLoggedUSD, logged > 0 {
            cost = logged; source = "logged"
        } else if let pricedCost {
            cost = pricedCost; source = "priced"
        } else {
            cost = 0; source = "unpriced"
            unpriced["\(call.provider)/\(call.model)", default: 0] += 1
            summary.unpricedCalls += 1
        }
        summary.calls += 1
        summary.costUSD += cost
        if call.status == "error" {
            summary.errorCalls += 1
            summary.errorsByClass[call.errorClass ?? "other", default: 0] += 1
        }
        if summary.firstCall.map({ date < $0 }) ?? true { summary.firstCall = date }
        if summary.lastCall.map({ date > $0 }) ?? true { summary.lastCall = date }
        // No `source_dates` row for a call: a rewritten transcript keeps its calls (only a
        // gateway log's or an invoice's rows are replaced), so nothing asks which days it touched,
        // and the catalog keeps per file only what reading it again needs.
        try writer.append(.requests, date: date) { c in
            c[0].append(call.timestampMicros)
            c[1].append(call.agentId); c[2].append(call.sessionId); c[3].append(call.entryId)
            c[4].append(call.provider); c[5].append(call.model); c[6].append(call.api)
            c[7].append(call.inputTokens); c[8].append(call.outputTokens); c[9].append(call.cacheReadTokens)
            c[10].append(call.cacheWriteTokens); c[11].append(call.totalTokens)
            c[12].append(cost); c[13].append(call.costLoggedUSD); c[14].append(pricedCost); c[15].append(source)
            c[16].append(call.latencyMs); c[17].append(call.stopReason); c[18].append(call.status)
            c[19].append(call.errorClass); c[20].append(call.errorMessage); c[21].append(call.retryOf)
            c[22].append(call.toolCalls); c[23].append(call.sourceFile); c[24].append(call.sourceLine)
        }
    }

    /// Puts one bad record in the `quarantine` table (dated by when it was found) and counts it.
    func quarantine(source: String, line: Int64, offset: Int64, reason: String, excerpt: String, writer: LakeWriter) throws {
        let now = options.now()
        let date = UTCDate.dateString(micros: now)
        try note(table: LakeTable.quarantine, date: date, path: source)
        try writer.append(.quarantine, date: date) { c in
            c[0].append(now); c[1].append(source); c[2].append(line); c[3].append(offset)
            c[4].append(reason); c[5].append(excerpt)
        }
        summary.quarantinedLines += 1
    }

    /// `YYYY-MM-DD` of `micros`, remembering the last day: consecutive rows nearly always share it.
    private func dateString(micros: Int64) -> String {
        let day = UTCDate.dayNumber(micros: micros)
        if day != lastDay.day { lastDay = (day, UTCDate.dateString(days: day)) }
        return lastDay.text
    }

    func note(table: LakeTable, date: String, path: String) throws {
        // Consecutive rows nearly always share the table, date and file: no key string per row.
        if table.name == lastNote.table && date == lastNote.date && path == lastNote.path { return }
        lastNote = (table.name, date, path)
        let key = table.name + "|" + date + "|" + path
        if touchedDates.insert(key).inserted {
            try catalog.noteSourceDate(path: path, table: table.name, date: date)
        }
    }

    // MARK: Rewrites and compaction

    /// Replaces every live part that holds rows of `path` with one without them.
    func removeRows(of path: String, writer: LakeWriter, snapshot: Int64, retired: inout [Int64]) throws {
        for (tableName, date) in try catalog.sourceDates(path: path) {
            guard let table = LakeTable.all.first(where: { $0.name == tableName }),
                let sourceColumn = table.schema.index(of: "source_file")
            else { continue }
            for part in try catalog.liveParts(table: tableName, from: date, to: date) where !retired.contains(part.id) {
                let columns = try table.readConformed(path: writer.location(of: part.path))
                guard case .byteArray(let files) = columns[sourceColumn].values else { continue }
                let keep = (0..<files.count).map { files.string(at: $0) != path }
                if keep.allSatisfy({ $0 }) { continue }
                retired.append(part.id)
                if keep.contains(true) {
                    try writer.writePart(table, date: date, columns: columns.map { $0.filtered(keep) })
                }
            }
        }
    }

    /// Merges the live parts of partitions that have accumulated more than `compactAbove` parts,
    /// and rewrites parts written under an older schema of their table (once, after an upgrade
    /// that added a column or made money DECIMAL: the Delta log still shows the old schema) and
    /// `requests` parts without their rollup companions (once, on a lake from before the
    /// rollups, so `requests_rollup` never shows part of the calls); returns the paths it added
    /// and retired (they only rearrange rows: Delta `dataChange: false`). The rollups themselves
    /// are never compacted on their own: they are rewritten with their part, under its name.
    private func compact(writer: LakeWriter, snapshot: Int64) throws -> Set<String> {
        var paths = Set<String>()
        for table in LakeTable.all where !RequestsRollup.tables.contains(table) {
            let parts = try catalog.liveParts(table: table.name, asOf: snapshot)
            let byDate = Dictionary(grouping: parts, by: \.date)
            let outdated = try LakeDelta.schemaOutdated(dataDir: options.dataDir, table: table)
            let lacking = table == .requests ? try partsWithoutRollup(parts, snapshot: snapshot) : []
            for (date, group) in byDate.sorted(by: { $0.key < $1.key }) {
                let stale =
                    try outdated && group.contains { try ParquetReader(path: writer.location(of: $0.path)).schema != table.schema }
                    || group.contains { lacking.contains($0.id) }
                guard group.count > options.compactAbove || stale else { continue }
                var merged: [ColumnData]?
                for part in group {
                    let columns = try table.readConformed(path: writer.location(of: part.path))
                    if merged == nil {
                        merged = columns
                    } else {
                        for i in columns.indices { merged?[i].append(columns[i]) }
                    }
                }
                guard let merged else { continue }
                let before = writer.written.count
                try writer.writePart(table, date: date, columns: merged)
                for part in writer.written[before...] {
                    try catalog.addPart(part, snapshot: snapshot)
                    paths.insert(part.path)
                }
                for part in group {
                    try catalog.retirePart(id: part.id, snapshot: snapshot)
                    paths.insert(part.path)
                }
                summary.partsCompacted += group.count
            }
        }
        return paths
    }

    /// The ids of the `parts` (of `requests`) whose two rollup companions are not both live.
    private func partsWithoutRollup(_ parts: [PartRecord], snapshot: Int64) throws -> Set<Int64> {
        let live = Set(try RequestsRollup.tables.flatMap { try catalog.liveParts(table: $0.name, asOf: snapshot).map(\.path) })
        return Set(parts.filter { !RequestsRollup.companions(of: $0.path).allSatisfy(live.contains) }.map(\.id))
    }
}
