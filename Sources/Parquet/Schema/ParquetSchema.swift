/// Parquet physical storage types (parquet.thrift `Type`).
package enum PhysicalType: Int32, Sendable, Equatable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

/// The logical annotation of a column, as far as Home Base writes and reads them.
package enum LogicalType: Sendable, Equatable {
    case none
    case string
    case date
    case timestampMicrosUTC
    case timestampMillisUTC
    case timestampNanosUTC
    case integer(bitWidth: Int8, signed: Bool)
}

/// One flat column of a schema.
package struct ColumnSchema: Sendable, Equatable {
    package var name: String
    package var physicalType: PhysicalType
    package var logicalType: LogicalType
    package var nullable: Bool

    package init(_ name: String, _ physicalType: PhysicalType, _ logicalType: LogicalType = .none, nullable: Bool = false) {
        self.name = name
        self.physicalType = physicalType
        self.logicalType = logicalType
        self.nullable = nullable
    }

    package static func string(_ name: String, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .byteArray, .string, nullable: nullable)
    }
    package static func int64(_ name: String, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .int64, .none, nullable: nullable)
    }
    package static func int32(_ name: String, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .int32, .none, nullable: nullable)
    }
    package static func double(_ name: String, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .double, .none, nullable: nullable)
    }
    package static func boolean(_ name: String, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .boolean, .none, nullable: nullable)
    }
    package static func date(_ name: String, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .int32, .date, nullable: nullable)
    }
    package static func timestamp(_ name: String, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .int64, .timestampMicrosUTC, nullable: nullable)
    }
}

/// A flat schema: an ordered list of columns (no nesting, no repetition).
package struct ParquetSchema: Sendable, Equatable {
    package var columns: [ColumnSchema]
    package init(_ columns: [ColumnSchema]) { self.columns = columns }

    package func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }
}
