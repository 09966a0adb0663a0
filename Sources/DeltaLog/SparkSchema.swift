import Parquet

/// The Delta `schemaString`: a Spark `StructType` as JSON, derived from a flat Parquet schema
/// plus the partition columns that live in directory names rather than in the files.
///
/// Type mapping (Delta protocol "Primitive Types"): UTF8 strings → `string`, INT64 → `long`,
/// INT32 → `integer` (8/16-bit annotations → `byte`/`short`), DOUBLE → `double`, FLOAT →
/// `float`, BOOLEAN → `boolean`, DATE → `date`, un-annotated BYTE_ARRAY → `binary`, and
/// TIMESTAMP(isAdjustedToUTC=true, MICROS or MILLIS) → `timestamp`: Spark's `timestamp` is an
/// instant stored as UTC micros, which is what our `ts` columns are. (`timestamp_ntz` would be
/// wrong here, and needs reader version 3.) Unsigned integers and nanosecond timestamps have
/// no Spark type and are refused rather than silently misread.
package enum SparkSchema {
    /// A partition column: its name and Spark type (`date`, `string`, …).
    package struct PartitionColumn: Sendable, Equatable {
        package var name: String
        package var sparkType: String
        package init(name: String, sparkType: String) {
            self.name = name
            self.sparkType = sparkType
        }
        package static let date = PartitionColumn(name: "date", sparkType: "date")
    }

    /// The StructType JSON: file columns in schema order, then the partition columns (as
    /// Spark orders a `partitionBy` table).
    package static func json(for schema: ParquetSchema, partitionColumns: [PartitionColumn]) throws -> String {
        var fields: [String] = []
        for column in schema.columns {
            fields.append(field(column.name, try sparkType(column), nullable: column.nullable))
        }
        for partition in partitionColumns {
            guard schema.index(of: partition.name) == nil else {
                throw DeltaLogError(
                    .invalidDataFile, path: partition.name, "the partition column is also a column of the files",
                    fix: "keep partition values in directory names only")
            }
            fields.append(field(partition.name, partition.sparkType, nullable: true))
        }
        return "{\"type\":\"struct\",\"fields\":[" + fields.joined(separator: ",") + "]}"
    }

    /// The Spark type name of one Parquet column.
    package static func sparkType(_ column: ColumnSchema) throws -> String {
        switch (column.physicalType, column.logicalType) {
        case (.byteArray, .string): return "string"
        case (.byteArray, .none): return "binary"
        case (.int64, .none), (.int64, .integer(64, true)): return "long"
        case (.int32, .none), (.int32, .integer(32, true)): return "integer"
        case (.int32, .integer(16, true)): return "short"
        case (.int32, .integer(8, true)): return "byte"
        case (.double, .none): return "double"
        case (.float, .none): return "float"
        case (.boolean, .none): return "boolean"
        case (.int32, .date): return "date"
        case (.int64, .timestampMicrosUTC), (.int64, .timestampMillisUTC): return "timestamp"
        case (.fixedLenByteArray, .decimal(let precision, let scale)): return "decimal(\(precision),\(scale))"
        default:
            throw DeltaLogError(
                .invalidDataFile, path: column.name,
                "column '\(column.name)' (\(column.physicalType), \(column.logicalType)) has no Spark type",
                fix: "store it as a signed integer, double, string or microsecond UTC timestamp")
        }
    }

    private static func field(_ name: String, _ type: String, nullable: Bool) -> String {
        var json = DeltaJSON()
        json.string("name", name)
        json.string("type", type)
        json.bool("nullable", nullable)
        json.raw("metadata", "{}")
        return json.finished
    }
}
