/// parquet.thrift `SchemaElement`: one node of the pre-order schema list (root first).
struct SchemaElement: Equatable {
    var type: Int32?
    var typeLength: Int32?
    var repetitionType: Int32?
    var name: String = ""
    var numChildren: Int32?
    var convertedType: Int32?
    var scale: Int32?
    var precision: Int32?
    var logicalType: LogicalType = .none

    /// The leaf element Home Base writes for `column`: both logicalType and converted_type.
    init(column: ColumnSchema) {
        type = column.physicalType.rawValue
        repetitionType = column.nullable ? 1 : 0
        name = column.name
        logicalType = column.logicalType
        switch column.logicalType {
        case .none: convertedType = nil
        case .string: convertedType = 0
        case .date: convertedType = 6
        case .timestampMillisUTC: convertedType = 9
        case .timestampMicrosUTC: convertedType = 10
        case .timestampNanosUTC: convertedType = nil
        case .integer(let bits, let signed):
            let base: Int32 = signed ? 15 : 11
            convertedType = base + Int32(bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3)
        case .decimal(let precision, let scale):
            convertedType = 5
            self.scale = scale
            self.precision = precision
        }
        if column.physicalType == .fixedLenByteArray { typeLength = Int32(column.fixedLength) }
    }

    init(root name: String, children: Int) {
        self.name = name
        repetitionType = 0
        numChildren = Int32(children)
    }

    init() {}

    func encode(_ w: inout ThriftCompactWriter) {
        w.beginListElement()
        if let type { w.i32(1, type) }
        if let typeLength { w.i32(2, typeLength) }
        if let repetitionType { w.i32(3, repetitionType) }
        w.string(4, name)
        if let numChildren { w.i32(5, numChildren) }
        if let convertedType { w.i32(6, convertedType) }
        if let scale { w.i32(7, scale) }
        if let precision { w.i32(8, precision) }
        switch logicalType {
        case .none: break
        case .string: w.beginStruct(10); w.emptyStruct(1); w.endStruct()
        case .date: w.beginStruct(10); w.emptyStruct(6); w.endStruct()
        case .timestampMillisUTC, .timestampMicrosUTC, .timestampNanosUTC:
            let unit: Int16 = logicalType == .timestampMillisUTC ? 1 : logicalType == .timestampMicrosUTC ? 2 : 3
            w.beginStruct(10); w.beginStruct(8)
            w.bool(1, true)
            w.beginStruct(2); w.emptyStruct(unit); w.endStruct()
            w.endStruct(); w.endStruct()
        case .integer(let bits, let signed):
            w.beginStruct(10); w.beginStruct(10)
            w.i8(1, bits); w.bool(2, signed)
            w.endStruct(); w.endStruct()
        case .decimal(let precision, let scale):
            w.beginStruct(10); w.beginStruct(5)
            w.i32(1, scale); w.i32(2, precision)
            w.endStruct(); w.endStruct()
        }
        w.endStruct()
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> SchemaElement {
        var e = SchemaElement()
        var logical: LogicalType?
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: e.type = try r.readI32Field(type, "SchemaElement.type")
            case 2: e.typeLength = try r.readI32Field(type, "SchemaElement.type_length")
            case 3: e.repetitionType = try r.readI32Field(type, "SchemaElement.repetition_type")
            case 4: e.name = String(decoding: try r.readBinaryField(type, "SchemaElement.name"), as: UTF8.self)
            case 5: e.numChildren = try r.readI32Field(type, "SchemaElement.num_children")
            case 6: e.convertedType = try r.readI32Field(type, "SchemaElement.converted_type")
            case 7: e.scale = try r.readI32Field(type, "SchemaElement.scale")
            case 8: e.precision = try r.readI32Field(type, "SchemaElement.precision")
            case 10:
                try r.expect(type, 12, "SchemaElement.logicalType")
                logical = try decodeLogicalType(&r)
            default: return false
            }
            return true
        }
        e.logicalType = logical ?? fromConvertedType(e.convertedType)
        if e.convertedType == 5, e.logicalType == .none, let precision = e.precision {
            e.logicalType = .decimal(precision: precision, scale: e.scale ?? 0)
        }
        return e
    }

    /// LogicalType union → our enum; members we do not model become `.none`.
    private static func decodeLogicalType(_ r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType {
        var result = LogicalType.none
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: result = .string; return false
            case 5:
                try r.expect(type, 12, "DecimalType")
                var scale: Int32 = 0, precision: Int32 = 0
                try r.readStruct { (r, id, type) throws(ParquetError) in
                    switch id {
                    case 1: scale = try r.readI32Field(type, "DecimalType.scale")
                    case 2: precision = try r.readI32Field(type, "DecimalType.precision")
                    default: return false
                    }
                    return true
                }
                result = .decimal(precision: precision, scale: scale)
                return true
            case 6: result = .date; return false
            case 8:
                try r.expect(type, 12, "TimestampType")
                var unit: Int16 = 0
                try r.readStruct { (r, id, type) throws(ParquetError) in
                    guard id == 2 else { return false }
                    try r.expect(type, 12, "TimestampType.unit")
                    try r.readStruct { (_, id, _) throws(ParquetError) in
                        unit = id; return false
                    }
                    return true
                }
                result = unit == 1 ? .timestampMillisUTC : unit == 3 ? .timestampNanosUTC : .timestampMicrosUTC
                return true
            case 10:
                try r.expect(type, 12, "IntType")
                var bits: Int8 = 64
                var signed = true
                try r.readStruct { (r, id, type) throws(ParquetError) in
                    switch id {
                    case 1: try r.expect(type, 3, "IntType.bitWidth"); bits = Int8(bitPattern: try r.byte())
                    case 2: signed = try r.boolValue(type)
                    default: return false
                    }
                    return true
                }
                result = .integer(bitWidth: bits, signed: signed)
                return true
            default: return false
            }
        }
        return result
    }

    private static func fromConvertedType(_ converted: Int32?) -> LogicalType {
        switch converted {
        case 0: .string
        case 6: .date
        case 9: .timestampMillisUTC
        case 10: .timestampMicrosUTC
        case 11: .integer(bitWidth: 8, signed: false)
        case 12: .integer(bitWidth: 16, signed: false)
        case 13: .integer(bitWidth: 32, signed: false)
        case 14: .integer(bitWidth: 64, signed: false)
        case 15: .integer(bitWidth: 8, signed: true)
        case 16: .integer(bitWidth: 16, signed: true)
        case 17: .integer(bitWidth: 32, signed: true)
        case 18: .integer(bitWidth: 64, signed: true)
        default: .none
        }
    }
}
