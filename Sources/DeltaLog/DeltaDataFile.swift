import Foundation

/// One Parquet file as an `add` action describes it: where it is (relative to the table root),
/// its partition values, size, modification time and footer statistics.
package struct DeltaDataFile: Sendable, Equatable {
    /// Relative to the table root, not URL-encoded (encoded when written), e.g. `date=2026-11-03/part-7-1.parquet`.
    package var path: String
    /// Partition column → value as Delta writes it (`date` → `2026-11-03`).
    package var partitionValues: [String: String]
    package var size: Int64
    /// Epoch milliseconds.
    package var modificationTime: Int64
    /// False when the file only rearranges rows already in the table (compaction).
    package var dataChange: Bool
    package var stats: DeltaFileStats?

    package init(
        path: String, partitionValues: [String: String], size: Int64, modificationTime: Int64,
        dataChange: Bool, stats: DeltaFileStats?
    ) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
    }

    /// Describes the Parquet file at `absolutePath` (size, mtime, footer statistics) as the
    /// table file `path`. They differ when a backfill reads a part that has since moved.
    package static func describe(
        path: String, partitionValues: [String: String], readingFrom absolutePath: String,
        dataChange: Bool
    ) throws -> DeltaDataFile {
        var info = stat()
        guard stat(absolutePath, &info) == 0 else {
            throw DeltaLogError(
                .invalidDataFile, path: absolutePath, "cannot stat: \(String(cString: strerror(errno)))",
                fix: "the part must exist before its Delta commit is written")
        }
        let millis = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        return DeltaDataFile(
            path: path, partitionValues: partitionValues, size: Int64(info.st_size), modificationTime: millis,
            dataChange: dataChange, stats: try DeltaFileStats(parquetAt: absolutePath))
    }

    /// The `add` action line.
    func actionJSON() -> String {
        var add = DeltaJSON()
        add.string("path", DeltaPath.encode(path))
        add.object("partitionValues") { values in
            for key in partitionValues.keys.sorted() { values.string(key, partitionValues[key] ?? "") }
        }
        add.int("size", size)
        add.int("modificationTime", modificationTime)
        add.bool("dataChange", dataChange)
        if let stats { add.string("stats", stats.json) }
        var line = DeltaJSON()
        line.raw("add", add.finished)
        return line.finished
    }
}
