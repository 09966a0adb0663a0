import HomeBaseCore
import SQLiteStore
import Parquet
import Pipeline

/// `homebase parquet schema|meta|cat FILE`: inspection tools for lake files.
struct ParquetCommand: Command {
    let name = "parquet"
    let summary = "inspect a Parquet file: schema, meta, cat"
    let help = """
        usage: homebase parquet schema FILE
               homebase parquet meta FILE
               homebase parquet cat FILE [--columns a,b] [--format csv|jsonl] [--limit N]

        schema  the columns: name, physical and logical type, required or optional
        meta    row groups, sizes, codecs, encodings and statistics of every column chunk
        cat     the rows as CSV (default) or JSON lines; --columns reads only those columns
        A file that is not valid Parquet prints the problem on one line and exits 1.
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ["columns", "format", "limit"], maxPositionals: 2))
        guard let subcommand = parsed.positionals.first else { throw UsageError("expected a subcommand: schema, meta or cat (see --help)") }
        guard ["schema", "meta", "cat"].contains(subcommand) else {
            throw UsageError("unknown subcommand '\(subcommand)': expected schema, meta or cat")
        }
        guard parsed.positionals.count == 2 else { throw UsageError("expected a FILE after '\(subcommand)' (see --help)") }
        let path = try StoragePaths.local(parsed.positionals[1], what: "FILE")
        if subcommand != "cat" {
            for option in ["columns", "format", "limit"] where parsed.value(option) != nil {
                throw UsageError("--\(option) only applies to 'cat'")
            }
        }
        switch subcommand {
        case "schema":
            let reader = try ParquetReader(path: path)
            printSchema(reader, console: console)
        case "meta":
            let reader = try ParquetReader(path: path)
            printMeta(reader, console: console)
        default:
            let format = parsed.value("format") ?? "csv"
            guard format == "csv" || format == "jsonl" else { throw UsageError("--format must be csv or jsonl, got '\(format)'") }
            let limit = try parsed.int("limit")
            if let limit, limit < 0 { throw UsageError("--limit must be 0 or more") }
            let columns = parsed.value("columns").map { $0.split(separator: ",").map { String($0).trimmingSpaces() } }
            if let columns, columns.isEmpty || columns.contains("") { throw UsageError("--columns needs comma-separated column names") }
            let reader = try ParquetReader(path: path)
            try cat(reader, columns: columns, jsonl: format == "jsonl", limit: limit, console: console)
        }
        return .success
    }

    // MARK: schema

    static func typeName(_ column: ColumnSchema) -> String {
        let physical: String
        switch column.physicalType {
        case .boolean: physical = "BOOLEAN"
        case .int32: physical = "INT32"
        case .int64: physical = "INT64"
        case .int96: physical = "INT96"
        case .float: physical = "FLOAT"
        case .double: physical = "DOUBLE"
        case .byteArray: physical = "BYTE_ARRAY"
        case .fixedLenByteArray: physical = "FIXED_LEN_BYTE_ARRAY"
        }
        switch column.logicalType {
        case .none: return physical
        case .string: return physical + " STRING"
        case .date: return physical + " DATE"
        case .timestampMillisUTC: return physical + " TIMESTAMP(MILLIS,UTC)"
        case .timestampMicrosUTC: return physical + " TIMESTAMP(MICROS,UTC)"
        case .timestampNanosUTC: return physical + " TIMESTAMP(NANOS,UTC)"
        case .integer(let bits, let signed): return physical + " INT(\(bits),\(signed ? "signed" : "unsigned"))"
        case .decimal(let precision, let scale): return physical + "(\(column.fixedLength)) DECIMAL(\(precision),\(scale))"
        }
    }

    private func printSchema(_ reader: ParquetReader, console: Console) {
        let columns = reader.schema.columns
        let width = columns.map(\.name.count).max() ?? 0
        console.out("\(columns.count) columns, \(reader.rowCount) rows")
        for column in columns {
            let pad = String(repeating: " ", count: width - column.name.count)
            console.out("  \(column.name)\(pad)  \(ParquetCommand.typeName(column))  \(column.nullable ? "optional" : "required")")
        }
    }

    // MARK: meta

    private func printMeta(_ reader: ParquetReader, console: Console) {
        console.out("file: \(reader.path)")
        console.out("rows: \(reader.rowCount)")
        console.out("row groups: \(reader.rowGroups.count)")
        if let createdBy = reader.createdBy { console.out("created by: \(createdBy)") }
        for key in reader.keyValueMetadata.keys.sorted() {
            let value = reader.keyValueMetadata[key] ?? ""
            console.out("metadata: \(key) = \(value.count > 80 ? String(value.prefix(77)) + "..." : value)")
        }
        for (g, group) in reader.rowGroups.enumerated() {
            console.out(
                "row group \(g): \(group.numRows) rows, \(group.totalByteSize) bytes uncompressed, \(group.totalCompressedSize) bytes compressed")
            for chunk in group.columns {
                var line =
                    "  \(chunk.name): \(chunk.codec) [\(chunk.encodings.joined(separator: ","))] \(chunk.compressedSize)/\(chunk.uncompressedSize) bytes"
                line += ", nulls \(chunk.nullCount.map(String.init) ?? "?")"
                let column = reader.schema.columns.first { $0.name == chunk.name }
                if let min = chunk.min, let max = chunk.max, let column {
                    line += ", min \(ParquetCommand.statText(min, column)), max \(ParquetCommand.statText(max, column))"
                }
                console.out(line)
            }
        }
    }

    static func statText(_ value: StatValue, _ column: ColumnSchema) -> String {
        switch (value, column.logicalType) {
        case (.int(let v), .date): return ParquetCellText.date(Int64(v))
        case (.int(let v), .timestampMicrosUTC): return ParquetCellText.timestamp(v, unitsPerSecond: 1_000_000)
        case (.int(let v), .timestampMillisUTC): return ParquetCellText.timestamp(v, unitsPerSecond: 1000)
        case (.int(let v), .timestampNanosUTC): return ParquetCellText.timestamp(v, unitsPerSecond: 1_000_000_000)
        case (.bytes(let v), .decimal(_, let scale)): return Decimal128.text(v, scale: scale)
        case (.bytes(let v), _): return ParquetCellText.jsonString(v)
        default: return value.description
        }
    }

    // MARK: cat

    private func cat(_ reader: ParquetReader, columns: [String]?, jsonl: Bool, limit: Int?, console: Console) throws {
        let names = columns ?? reader.schema.columns.map(\.name)
        let schema = try names.map { name -> ColumnSchema in
            guard let index = reader.schema.index(of: name) else {
                throw UsageError(
                    "no column named '\(name)' in \(reader.path) (columns: \(reader.schema.columns.map(\.name).joined(separator: ", ")))")
            }
            return reader.schema.columns[index]
        }
        if !jsonl { console.out(names.map { ParquetCellText.csvField(Array($0.utf8)) }.joined(separator: ",")) }
        var remaining = limit ?? Int.max
        for g in reader.rowGroups.indices where remaining > 0 {
            let data = try reader.read(rowGroup: g, columns: names)
            let rows = min(remaining, data.first?.count ?? 0)
            for row in 0..<rows {
                var fields: [String] = []
                fields.reserveCapacity(names.count)
                for (c, column) in schema.enumerated() {
                    let text = ParquetCellText.cell(data[c], row: row, column: column, json: jsonl)
                    fields.append(jsonl ? "\(ParquetCellText.jsonString(Array(column.name.utf8))):\(text)" : text)
                }
                console.out(jsonl ? "{" + fields.joined(separator: ",") + "}" : fields.joined(separator: ","))
            }
            remaining -= rows
        }
    }
}

/// How `parquet cat` and `meta` print values: ISO dates and UTC timestamps, RFC 4180 CSV, JSON.
enum ParquetCellText {
    /// Days since 1970-01-01 → YYYY-MM-DD.
    static func date(_ days: Int64) -> String { UTCDate.dateString(days: days) }

    static func timestamp(_ value: Int64, unitsPerSecond: Int64) -> String {
        let seconds = value >= 0 ? value / unitsPerSecond : -((-(value + 1)) / unitsPerSecond) - 1
        let fraction = value - seconds * unitsPerSecond
        let days = seconds >= 0 ? seconds / 86_400 : -((-(seconds + 1)) / 86_400) - 1
        let secondOfDay = seconds - days * 86_400
        var text = date(days) + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        let digits = unitsPerSecond == 1000 ? 3 : unitsPerSecond == 1_000_000 ? 6 : 9
        text += "." + pad(fraction, digits) + "Z"
        return text
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func double(_ v: Double, json: Bool) -> String {
        if v.isNaN { return json ? "\"NaN\"" : "NaN" }
        if v.isInfinite { return json ? (v > 0 ? "\"Infinity\"" : "\"-Infinity\"") : (v > 0 ? "Infinity" : "-Infinity") }
        return "\(v)"
    }

    static func jsonString(_ bytes: some Collection<UInt8>) -> String {
        JSONQuote.quote(String(decoding: bytes, as: UTF8.self))
    }

    static func csvField(_ bytes: some Collection<UInt8>) -> String {
        CSVField.text(String(decoding: bytes, as: UTF8.self))
    }

    /// One cell: empty (CSV) or null (JSON) for a null.
    static func cell(_ data: ColumnData, row: Int, column: ColumnSchema, json: Bool) -> String {
        if data.isNull(row) { return json ? "null" : "" }
        switch data.values {
        case .boolean(let v): return v[row] ? "true" : "false"
        case .int32(let v):
            let text = column.logicalType == .date ? date(Int64(v[row])) : String(v[row])
            return json && column.logicalType == .date ? "\"\(text)\"" : text
        case .int64(let v):
            let units: Int64? =
                switch column.logicalType {
                case .timestampMicrosUTC: 1_000_000
                case .timestampMillisUTC: 1000
                case .timestampNanosUTC: 1_000_000_000
                default: nil
                }
            guard let units else { return String(v[row]) }
            let text = timestamp(v[row], unitsPerSecond: units)
            return json ? "\"\(text)\"" : text
        case .float(let v): return double(Double(v[row]), json: json)
        case .double(let v): return double(v[row], json: json)
        case .byteArray(let v):
            if case .decimal(_, let scale) = column.logicalType { return Decimal128.text(v.value(at: row), scale: scale) }
            return json ? jsonString(v.value(at: row)) : csvField(v.value(at: row))
        }
    }
}

fileprivate extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
