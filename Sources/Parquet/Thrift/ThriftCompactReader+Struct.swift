extension ThriftCompactReader {
    /// Reads one struct: calls `field` for each field header; when it returns `false` the
    /// field is unknown and skipped by its wire type.
    mutating func readStruct(_ field: (inout ThriftCompactReader, Int16, UInt8) throws(ParquetError) -> Bool) throws(ParquetError) {
        try beginStruct()
        while let (id, type) = try fieldHeader() {
            if try !field(&self, id, type) { try skip(type) }
        }
        endStruct()
    }

    /// Reads a list of structs, each decoded by `element`.
    mutating func readList<T>(_ type: UInt8, _ name: String, _ element: (inout ThriftCompactReader) throws(ParquetError) -> T) throws(ParquetError)
        -> [T]
    {
        try expect(type, 9, name)
        let (count, _) = try listHeader()
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    mutating func readI32Field(_ type: UInt8, _ name: String) throws(ParquetError) -> Int32 {
        try expect(type, 5, name); return try i32()
    }
    mutating func readI64Field(_ type: UInt8, _ name: String) throws(ParquetError) -> Int64 {
        try expect(type, 6, name); return try i64()
    }
    mutating func readBinaryField(_ type: UInt8, _ name: String) throws(ParquetError) -> [UInt8] {
        try expect(type, 8, name); return try binary()
    }
}
