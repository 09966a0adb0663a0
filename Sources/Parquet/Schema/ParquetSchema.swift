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
    /// An exact decimal: the unscaled integer, big-endian two's complement in a fixed-length byte
    /// array, times 10^-scale.
    case decimal(precision: Int32, scale: Int32)
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
    /// DECIMAL(precision, scale) in a FIXED_LEN_BYTE_ARRAY of `Decimal128.width(precision)` bytes.
    package static func decimal(_ name: String, precision: Int32 = 38, scale: Int32 = 18, nullable: Bool = false) -> ColumnSchema {
        ColumnSchema(name, .fixedLenByteArray, .decimal(precision: precision, scale: scale), nullable: nullable)
    }

    /// The byte width of a FIXED_LEN_BYTE_ARRAY column (0 for every other type).
    package var fixedLength: Int {
        guard physicalType == .fixedLenByteArray, case .decimal(let precision, _) = logicalType else { return 0 }
        return Decimal128.width(precision: precision)
    }
}

/// A flat schema: an ordered list of columns (no nesting, no repetition).
package struct ParquetSchema: Sendable, Equatable {
    package var columns: [ColumnSchema]
    package init(_ columns: [ColumnSchema]) { self.columns = columns }

    package func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }
}
