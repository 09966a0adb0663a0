/// A file leaving the table, as a `remove` action: the file stays on disk for readers of older
/// versions until it is vacuumed.
package struct DeltaRemovedFile: Sendable, Equatable {
    package var path: String
    package var partitionValues: [String: String]
    package var size: Int64?
    package var dataChange: Bool

    package init(path: String, partitionValues: [String: String], size: Int64?, dataChange: Bool) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.dataChange = dataChange
    }

    func actionJSON(deletionTimestamp: Int64) -> String {
        var remove = DeltaJSON()
        remove.string("path", DeltaPath.encode(path))
        remove.int("deletionTimestamp", deletionTimestamp)
        remove.bool("dataChange", dataChange)
        remove.bool("extendedFileMetadata", size != nil)
        remove.object("partitionValues") { values in
            for key in partitionValues.keys.sorted() { values.string(key, partitionValues[key] ?? "") }
        }
        if let size { remove.int("size", size) }
        var line = DeltaJSON()
        line.raw("remove", remove.finished)
        return line.finished
    }
}
