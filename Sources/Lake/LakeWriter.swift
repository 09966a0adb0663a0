import Foundation
import HomeBaseCore
import Parquet

/// Buffers rows per table and date partition and writes them as new part files into a staging
/// area, `<data>/staging/<snapshot>/tables/…` (same file system, so moving them is a rename).
/// `written` names each part by its final path under `tables/`, which is what the catalog
/// records. Nothing of a run is under `tables/` before its catalog COMMIT: the caller makes the
/// parts durable (`makeDurable()`: an `fsync` per part and folder), commits, then calls
/// `publish(skipping:)` (see `LakeCommit`); a crash in between is rolled forward or back by
/// `LakeRecovery` at the next start.
package final class LakeWriter {
    package let dataDir: String
    package let snapshot: Int64
    package private(set) var written: [PartRecord] = []
    /// SHA-256 of each part in `written`, taken from the bytes as they were written.
    package private(set) var checksums: [String: String] = [:]
    private var buffers: [String: [String: PartitionBuffer]] = [:]  // table → date → columns
    private var bufferedBytes = 0
    private var partCounter = 0
    private var appends = 0  // rows appended so far, to tell which partition is stalest
    private var staged: Set<String> = []  // catalog paths of parts still in staging
    private let flushBytes: Int
    private let options: WriterOptions
    /// Threads that encode the parts `flushAll` writes at the end of a run (at most 4: each holds
    /// a part's encoding buffers).
    package var parallelism = min(4, Processors.available)

    package init(dataDir: String, snapshot: Int64, flushBytes: Int = 96 << 20, options: WriterOptions = WriterOptions()) {
        self.dataDir = dataDir
        self.snapshot = snapshot
        self.flushBytes = flushBytes
        var options = options
        options.fsyncOnClose = false
        if options.createdBy == WriterOptions().createdBy { options.createdBy = Product.parquetCreatedBy }
        options.keyValueMetadata = options.keyValueMetadata + [("homebase.snapshot", String(snapshot))]
        self.options = options
    }

    /// Appends one row to `table` on `date`; `fill` appends one value to each column builder in schema order.
    package func append(_ table: LakeTable, date: String, _ fill: (inout [ColumnBuilder]) -> Void) throws {
        let buffer: PartitionBuffer
        if let existing = buffers[table.name]?[date] {
            buffer = existing
        } else {
            buffer = PartitionBuffer(table.schema.columns.map(ColumnBuilder.init))
            buffers[table.name, default: [:]][date] = buffer
        }
        fill(&buffer.columns)  // mutated in place: the buffer is a reference, so no copy of the arrays
        buffer.rows += 1
        appends += 1
        buffer.lastAppend = appends
        // Measured every 32 rows of each partition: a year touches ~1,500 partitions at once, and
        // measuring only every 1,024 rows let twice the budget pile up unseen.
        if buffer.rows % 32 == 0 || buffer.rows == 1 {
            let size = buffer.columns.reduce(0) { $0 + $1.approximateBytes }
            bufferedBytes += size - buffer.bytes
            buffer.bytes = size
            if bufferedBytes > flushBytes { try flushStalest() }
        }
    }

    /// The memory every buffered partition holds now, measured afresh (tests check the budget).
    var bufferedMemory: Int {
        buffers.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.columns.reduce(0) { $0 + $1.approximateBytes } } }
    }

    /// Writes whole columns as one part of `table` on `date` (used by compaction and rewrites).
    /// A `requests` part gets its two rollup companions (`RequestsRollup`), written right after it
    /// under the same file name, so whatever stages, commits or retires the part does the same to them.
    package func writePart(_ table: LakeTable, date: String, columns: [ColumnData]) throws {
        guard let rows = columns.first?.count, rows > 0 else { return }
        partCounter += 1
        register(try LakeWriter.encodePart(Job(table: table, date: date, columns: columns, counter: partCounter), staging: staging))
    }

    /// What writing a part and its companions needs, none of it mutable: parts can be encoded on
    /// several threads at once.
    private struct Staging: Sendable {
        var root: String
        var snapshot: Int64
        var options: WriterOptions
    }

    private var staging: Staging { Staging(root: stagingRoot, snapshot: snapshot, options: options) }

    /// A part to write: its columns and the counter that names it.
    private struct Job: Sendable {
        var table: LakeTable
        var date: String
        var columns: [ColumnData]
        var counter: Int
    }

    /// A file written to staging, to record once it is.
    private struct StagedFile: Sendable {
        var record: PartRecord
        var checksum: String
    }

    private func register(_ files: [StagedFile]) {
        for file in files {
            checksums[file.record.path] = file.checksum
            written.append(file.record)
            staged.insert(file.record.path)
        }
    }

    /// The part and, for `requests`, its two rollup companions (`RequestsRollup`) under the same
    /// file name, so whatever stages, commits or retires the part does the same to them.
    private static func encodePart(_ job: Job, staging: Staging) throws -> [StagedFile] {
        var files = [try writeFile(job.table, date: job.date, columns: job.columns, counter: job.counter, staging: staging)]
        if job.table.name == LakeTable.requests.name {
            let (rollup, latency) = try RequestsRollup.summarise(job.columns)
            files.append(try writeFile(.requestsRollup, date: job.date, columns: rollup, counter: job.counter, staging: staging))
            files.append(try writeFile(.requestsLatencyRollup, date: job.date, columns: latency, counter: job.counter, staging: staging))
        }
        return files
    }

    /// Writes `columns` as `tables/<table>/date=<date>/part-<snapshot>-<counter>.parquet` in staging.
    private static func writeFile(_ table: LakeTable, date: String, columns: [ColumnData], counter: Int, staging: Staging) throws -> StagedFile {
        let directory = "tables/\(table.name)/date=\(date)"
        let relative = "\(directory)/part-\(staging.snapshot)-\(counter).parquet"
        let absolute = staging.root + "/" + relative
        try FileManager.default.createDirectory(atPath: staging.root + "/" + directory, withIntermediateDirectories: true)
        let temporary = staging.root + "/\(directory)/.part-\(staging.snapshot)-\(counter).parquet.tmp"
        let digest = Digest()
        let writer = try ParquetWriter(path: temporary, schema: table.schema, options: staging.options) { digest.sha.update($0) }
        try writer.write(columns)
        try writer.close()
        let checksum = digest.sha.finalizeHex()
        try AtomicFile.commit(temporary, to: absolute, durable: false)
        return StagedFile(
            record: PartRecord(
                table: table.name, date: date, path: relative, rowCount: Int64(columns.first?.count ?? 0), byteSize: Int64(writer.offset)),
            checksum: checksum)
    }

    /// `<data>/staging/<snapshot>`: where this run's parts wait for the catalog commit.
    package var stagingRoot: String { LakeWriter.stagingRoot(dataDir: dataDir, snapshot: snapshot) }

    package static let stagingDirectory = "staging"

    package static func stagingRoot(dataDir: String, snapshot: Int64) -> String {
        dataDir + "/" + stagingDirectory + "/" + String(snapshot)
    }

    /// Where the part `relative` (a catalog path) is on disk now: in staging if this writer wrote
    /// it and has not published it, else under the data dir.
    package func location(of relative: String) -> String {
        staged.contains(relative) ? stagingRoot + "/" + relative : dataDir + "/" + relative
    }

    /// Moves every staged part to its place under `tables/` (call after the catalog COMMIT);
    /// parts in `skipping` (written and retired by the same snapshot, never visible) go straight
    /// to `history/`.
    /// Then removes the staging folder of this snapshot.
    package func publish(skipping transient: Set<String> = []) throws {
        var folders = Set<String>()  // made already by this call: a year's 2,500 parts share 1,500
        var emptied = Set<String>()  // staging folders left empty
        for relative in written.map(\.path) where staged.contains(relative) {
            let from = stagingRoot + "/" + relative
            if transient.contains(relative) {
                try LakeWriter.moveIntoPlace(from: from, to: dataDir + "/history/" + relative, made: &folders)  // where the catalog now names it
            } else {
                try LakeWriter.moveIntoPlace(from: from, to: dataDir + "/" + relative, made: &folders)
            }
            staged.remove(relative)
            Self.addFolders(of: from, below: stagingRoot, to: &emptied)
        }
        // The staging folders the parts left, deepest first, by rmdir: FileManager's removeItem
        // walked and looked at each of a year's 1,500 folders again (0.18 s). Whatever is left
        // (nothing, unless a failed run left files) goes the thorough way.
        for folder in emptied.sorted(by: >) { rmdir(folder) }
        if rmdir(stagingRoot) != 0 && errno != ENOENT { try? FileManager.default.removeItem(atPath: stagingRoot) }
    }

    /// Renames a staged part into place, creating its partition folder.
    package static func moveIntoPlace(from: String, to: String) throws {
        var made = Set<String>()
        try moveIntoPlace(from: from, to: to, made: &made)
    }

    /// The same, skipping the folders in `made` and adding the one it made.
    static func moveIntoPlace(from: String, to: String, made: inout Set<String>) throws {
        let folder = (to as NSString).deletingLastPathComponent
        if made.insert(folder).inserted {
            // One mkdir for a partition folder whose table folder exists (the usual case); the
            // whole chain through FileManager only when that fails.
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        }
        guard rename(from, to) == 0 else {
            throw AtomicFile.Failure(path: from, message: "cannot move a staged part to \(to): \(String(cString: strerror(errno)))")
        }
    }

    /// Puts every part written so far on disk, with the folder entries that lead to it; call
    /// before the catalog commit that publishes them. Only this run's files are flushed (an
    /// `fsync` each, then each folder once): a `sync()` would also wait for every other dirty
    /// page on the machine, seconds when another job has just written gigabytes. The calls
    /// wait on several threads at once (`BlockingWork`); the commit comes after all of them.
    package func makeDurable() throws {
        let files = written.map(\.path).filter { staged.contains($0) }.map { stagingRoot + "/" + $0 }
        var folders = Set<String>()
        for path in files { Self.addFolders(of: path, below: dataDir, to: &folders) }
        if !folders.isEmpty { folders.insert(dataDir) }
        try BlockingWork.forEach(files.count, threads: Self.syncThreads) { try AtomicFile.fsyncFile(files[$0]) }
        let ordered = folders.sorted(by: >)
        try BlockingWork.forEach(ordered.count, threads: Self.syncThreads) { AtomicFile.fsyncDirectory(ordered[$0]) }
    }

    /// Adds the folders that hold `path`, up to but not including `root`, to `folders` (stops at
    /// the first one already there: its parents are too).
    private static func addFolders(of path: String, below root: String, to folders: inout Set<String>) {
        var folder = (path as NSString).deletingLastPathComponent
        while folder.count > root.count, folders.insert(folder).inserted {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    /// Threads waiting for `fsync` at once.
    static let syncThreads = 8

    /// Deletes whatever this writer staged (the run failed before its catalog commit).
    package func discard() {
        try? FileManager.default.removeItem(atPath: stagingRoot)
        staged = []
    }

    /// Writes every buffered partition.
    package func flushAll() throws {
        // Every buffered partition at once, encoded on up to `parallelism` threads (the end of a
        // run used to write them one by one while the other core idled). Names are given in
        // table then date order, and the parts are recorded in that order, as a serial run would.
        var jobs: [Job] = []
        for (tableName, dates) in buffers.sorted(by: { $0.key < $1.key }) {
            guard let table = LakeTable.all.first(where: { $0.name == tableName }) else { continue }
            for date in dates.keys.sorted() {
                guard let columns = take(table, date: date), (columns.first?.count ?? 0) > 0 else { continue }
                partCounter += 1
                jobs.append(Job(table: table, date: date, columns: columns, counter: partCounter))
            }
        }
        buffers = [:]
        bufferedBytes = 0
        let staging = self.staging, work = jobs
        for files in try ParallelSlots.tryMap(work.count, workers: parallelism, { try LakeWriter.encodePart(work[$0], staging: staging) }) {
            register(files)
        }
    }

    /// Over budget: writes the partition that has gone longest without a row. Input that
    /// arrives roughly in time order (ingest reads sessions oldest first) then writes each day
    /// once it is done, as one part; input in no order writes similar-sized parts either way.
    /// Partitions under an eighth of the largest are left alone: writing one frees too little.
    private func flushStalest() throws {
        let largest = buffers.values.lazy.flatMap(\.values).map(\.bytes).max() ?? 0
        var best: (table: String, date: String, last: Int)?
        for (tableName, dates) in buffers {
            for (date, buffer) in dates where buffer.lastAppend < (best?.last ?? .max) && buffer.bytes * 8 >= largest {
                best = (tableName, date, buffer.lastAppend)
            }
        }
        guard let best, let table = LakeTable.all.first(where: { $0.name == best.table }) else { return }
        try flush(table, date: best.date)
    }

    private func flush(_ table: LakeTable, date: String) throws {
        guard let columns = take(table, date: date) else { return }
        try writePart(table, date: date, columns: columns)
    }

    /// Takes a partition's buffered columns out of the buffers.
    private func take(_ table: LakeTable, date: String) -> [ColumnData]? {
        guard let buffer = buffers[table.name]?[date] else { return nil }
        bufferedBytes -= buffer.bytes
        buffers[table.name]?[date] = nil
        return buffer.columns.indices.map { buffer.columns[$0].take() }
    }
}

/// The rows buffered for one partition; a class so appends mutate the column arrays in place.
private final class PartitionBuffer {
    var columns: [ColumnBuilder]
    var rows = 0
    var bytes = 0
    var lastAppend = 0
    init(_ columns: [ColumnBuilder]) { self.columns = columns }
}

/// The running SHA-256 of one part, fed by its `ParquetWriter` as it writes.
private final class Digest {
    var sha = SHA256()
}
