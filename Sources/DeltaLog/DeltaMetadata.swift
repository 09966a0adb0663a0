import HomeBaseCore
import Parquet

/// The `metaData` action: the table's stable id, its schema and partitioning.
package struct DeltaMetadata: Sendable, Equatable {
    /// Stable for the life of the table (a UUID); keep it when the schema changes.
    package var tableID: String
    package var name: String?
    package var schema: ParquetSchema
    package var partitionColumns: [SparkSchema.PartitionColumn]
    /// Epoch milliseconds.
    package var createdTime: Int64

    package init(
        tableID: String, name: String?, schema: ParquetSchema,
        partitionColumns: [SparkSchema.PartitionColumn] = [.date], createdTime: Int64
    ) {
        self.tableID = tableID
        self.name = name
        self.schema = schema
        self.partitionColumns = partitionColumns
        self.createdTime = createdTime
    }

    /// A UUID-formatted id derived from `seed` (e.g. the lake's id and the table name), so a
    /// log rebuilt from scratch gets the same id as the one written live.
    package static func tableID(seed: String) -> String {
        var hash = SHA256()
        hash.update(Array(seed.utf8))
        var bytes = Array(hash.finalize().prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x50  // version 5 style (name-based, SHA)
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        let hex = SHA256.hexString(bytes)
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }

    func actionJSON() throws -> String {
        let schemaString = try SparkSchema.json(for: schema, partitionColumns: partitionColumns)
        var meta = DeltaJSON()
        meta.string("id", tableID)
        if let name { meta.string("name", name) }
        meta.object("format") { format in
            format.string("provider", "parquet")
            format.raw("options", "{}")
        }
        meta.string("schemaString", schemaString)
        meta.stringArray("partitionColumns", partitionColumns.map(\.name))
        meta.raw("configuration", "{}")
        meta.int("createdTime", createdTime)
        var line = DeltaJSON()
        line.raw("metaData", meta.finished)
        return line.finished
    }

    /// Reader 1 / writer 2: plain `timestamp`, no table features. Nothing we write needs more.
    static let protocolJSON = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}"
}
