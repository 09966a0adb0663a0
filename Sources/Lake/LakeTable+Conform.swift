import Parquet

extension LakeTable {
    /// A part written under an older schema of this table, brought to the current one so it can
    /// be merged with newer parts and rewritten (compaction, invoice supersession): columns are
    /// matched by name, a column the part lacks is all null, and text money becomes DECIMAL.
    struct SchemaMismatch: Error, CustomStringConvertible {
        var table: String
        var column: String
        var reason: String
        var description: String {
            "\(table).\(column): \(reason); the part cannot be rewritten under the current schema "
                + "(restore it from a backup, or remove it with its catalog row)"
        }
    }

    /// Every column of the part at `path`, brought to this table's current schema.
    package func readConformed(path: String) throws -> [ColumnData] {
        let reader = try ParquetReader(path: path)
        return try conform(try reader.readAll(), from: reader.schema)
    }

    /// `columns` (all of the part's, in `partSchema` order) in this table's column order and types.
    package func conform(_ columns: [ColumnData], from partSchema: ParquetSchema) throws -> [ColumnData] {
        if partSchema == schema { return columns }
        let rows = columns.first?.count ?? 0
        return try schema.columns.map { target in
            guard let index = partSchema.index(of: target.name) else {
                guard target.nullable else { throw SchemaMismatch(table: name, column: target.name, reason: "the part lacks this required column") }
                return ColumnData(ColumnData.placeholders(target.physicalType, count: rows), validity: Array(repeating: false, count: rows))
            }
            let source = partSchema.columns[index], data = columns[index]
            if source.physicalType == target.physicalType && source.logicalType == target.logicalType { return data }
            guard case .decimal(_, let scale) = target.logicalType, source.physicalType == .byteArray, case .byteArray(let texts) = data.values
            else {
                throw SchemaMismatch(
                    table: name, column: target.name, reason: "stored as \(source.physicalType) \(source.logicalType), now \(target.physicalType)")
            }
            var decimals = ByteArrayColumn()
            for row in 0..<rows {
                if data.isNull(row) {
                    decimals.appendEmpty()
                    continue
                }
                guard let unscaled = Decimal128.unscaled(text: texts.string(at: row), scale: Int(scale)) else {
                    throw SchemaMismatch(table: name, column: target.name, reason: "'\(texts.string(at: row))' is not a decimal number")
                }
                decimals.append(bytes: Decimal128.bytes(unscaled, width: target.fixedLength))
            }
            return ColumnData(.byteArray(decimals), validity: data.validity)
        }
    }
}

extension ColumnData {
    /// `count` placeholder values of `type` (the slots behind nulls).
    static func placeholders(_ type: PhysicalType, count: Int) -> ColumnValues {
        switch type {
        case .boolean: return .boolean(Array(repeating: false, count: count))
        case .int32: return .int32(Array(repeating: 0, count: count))
        case .int64, .int96: return .int64(Array(repeating: 0, count: count))
        case .float: return .float(Array(repeating: 0, count: count))
        case .double: return .double(Array(repeating: 0, count: count))
        case .byteArray, .fixedLenByteArray:
            var empty = ByteArrayColumn()
            for _ in 0..<count { empty.appendEmpty() }
            return .byteArray(empty)
        }
    }
}
