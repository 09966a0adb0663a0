/// parquet.thrift `Statistics`: raw PLAIN-encoded min/max bytes plus counts.
struct Statistics: Equatable, Sendable {
    var max: [UInt8]?
    var min: [UInt8]?
    var nullCount: Int64?
    var distinctCount: Int64?
    var maxValue: [UInt8]?
    var minValue: [UInt8]?

    func encode(_ w: inout ThriftCompactWriter, field: Int16) {
        w.beginStruct(field)
        if let max { w.binary(1, max) }
        if let min { w.binary(2, min) }
        if let nullCount { w.i64(3, nullCount) }
        if let distinctCount { w.i64(4, distinctCount) }
        if let maxValue { w.binary(5, maxValue) }
        if let minValue { w.binary(6, minValue) }
        w.endStruct()
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> Statistics {
        var s = Statistics()
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: s.max = try r.readBinaryField(type, "Statistics.max")
            case 2: s.min = try r.readBinaryField(type, "Statistics.min")
            case 3: s.nullCount = try r.readI64Field(type, "Statistics.null_count")
            case 4: s.distinctCount = try r.readI64Field(type, "Statistics.distinct_count")
            case 5: s.maxValue = try r.readBinaryField(type, "Statistics.max_value")
            case 6: s.minValue = try r.readBinaryField(type, "Statistics.min_value")
            default: return false
            }
            return true
        }
        return s
    }
}
