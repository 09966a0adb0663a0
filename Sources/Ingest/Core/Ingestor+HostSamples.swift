import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet
import HostHealth
import Lake

extension Ingestor {
    /// Folds the sample spool (`<data_dir>/spool/host_samples.jsonl`, written by `homebase sample`)
    /// into `host_samples`, one snapshot per batch, after the logs' snapshot was committed. A sample
    /// whose `(host, ts_us)` is already in the lake (a fold repeated after a crash) is skipped and
    /// counted; the spool is trimmed only after the commit. Returns the snapshot made, if any.
    func foldHostSamples(runID: Int64) throws -> Int64? {
        let spool = SampleSpool(dataDir: options.dataDir)
        var made: Int64?
        let report = try spool.fold { samples in
            if let snapshot = try commitHostSamples(samples, runID: runID) { made = snapshot }
        }
        summary.hostSampleBadLines += report.badLines
        if report.tornTailBytes > 0 { summary.hostSampleTornBytes += report.tornTailBytes }
        return made
    }

    /// Writes the new samples of one batch as one snapshot; nil when every one was already there.
    private func commitHostSamples(_ samples: [HostSample], runID: Int64) throws -> Int64? {
        let table = LakeTable.hostSamples
        var byDate: [String: [HostSample]] = [:]
        for sample in samples { byDate[UTCDate.dateString(days: UTCDate.dayNumber(micros: sample.tsMicros)), default: []].append(sample) }
        let database = catalog.database
        try database.execute("BEGIN IMMEDIATE")
        do {
            let snapshot = try catalog.newSnapshot(runID: runID, committedMicros: options.now(), note: "host samples")
            let writer = LakeWriter(dataDir: options.dataDir, snapshot: snapshot)
            var added = 0
            for (date, group) in byDate.sorted(by: { $0.key < $1.key }) {
                var seen = try existingSampleKeys(date: date)
                for sample in group.sorted(by: { $0.tsMicros < $1.tsMicros }) {
                    guard seen.insert(SampleKey(host: sample.host, ts: sample.tsMicros)).inserted else {
                        summary.hostSamplesDuplicate += 1
                        continue
                    }
                    added += 1
                    let cells = HostSampleRow.values(sample)
                    try writer.append(table, date: date) { columns in
                        for (index, cell) in cells.enumerated() {
                            switch cell {
                            case .int(let value): columns[index].append(value)
                            case .double(let value): columns[index].append(value)
                            case .string(let value): columns[index].append(value)
                            case .bool(let value): columns[index].append(value)
                            }
                        }
                    }
                }
            }
            try writer.flushAll()
            guard added > 0 else {
                try database.execute("ROLLBACK")
                writer.discard()
                return nil
            }
            for part in writer.written { try catalog.addPart(part, snapshot: snapshot) }
            try PartChecksums.record(writer, in: database)
            summary.partsWritten += writer.written.count
            try writer.makeDurable()
            FailPoint.reached("ingest-samples-before-commit")
            try database.execute("COMMIT")
            summary.hostSamples += added
            // Staged parts become visible (and the Delta log gains a version) only now, after the commit.
            if let error = try LakeCommit.afterCommit(writer: writer, catalog: catalog, snapshot: snapshot, committedMicros: options.now()) {
                summary.deltaLogError = error
            }
            return snapshot
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    private struct SampleKey: Hashable {
        var host: String
        var ts: Int64
    }

    /// `(host, ts_us)` of every live row of `host_samples` on `date`.
    private func existingSampleKeys(date: String) throws -> Set<SampleKey> {
        var keys: Set<SampleKey> = []
        for part in try catalog.liveParts(table: LakeTable.hostSamples.name, from: date, to: date) {
            let columns = try ParquetReader(path: part.location(dataDir: options.dataDir)).readAll(columns: ["host", "ts_us"])
            guard case .byteArray(let hosts) = columns[0].values, case .int64(let times) = columns[1].values else { continue }
            for row in 0..<times.count { keys.insert(SampleKey(host: hosts.string(at: row), ts: times[row])) }
        }
        return keys
    }
}
