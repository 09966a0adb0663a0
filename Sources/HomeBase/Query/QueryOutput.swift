import Foundation

/// Writes query results as an aligned table, CSV (RFC 4180), JSON lines or one JSON array.
/// Reals print in Swift's shortest round-trip form; NULL is empty in CSV, `null` in JSON, `NULL` in tables.
package enum QueryFormat: String, Sendable, CaseIterable {
    case table, csv, jsonl, json
}

/// Streams rows to a sink in chunks (the table format keeps rows to size its columns).
package final class QueryOutput {
    private let format: QueryFormat
    private let sink: (String) -> Void
    private var columns: [String] = []
    private var buffered: [[String]] = []
    private var chunk = ""
    private var rowCount = 0

    /// `sink` receives text without a final newline, as `Console.out` takes it.
    package init(format: QueryFormat, sink: @escaping (String) -> Void) {
        self.format = format
        self.sink = sink
    }

    package func begin(_ columns: [String]) {
        self.columns = columns
        switch format {
        case .csv: emit(columns.map(QueryOutput.csvField).joined(separator: ","))
        case .json: emit("[")
        default: break
        }
    }

    package func row(_ values: [SQLiteValue]) {
        rowCount += 1
        switch format {
        case .table: buffered.append(values.map(QueryOutput.plain))
        case .csv: emit(values.map { QueryOutput.csvField($0 == .null ? "" : QueryOutput.plain($0)) }.joined(separator: ","))
        case .jsonl: emit(jsonObject(values))
        case .json:
            if rowCount > 1 { chunk += ",\n" } else { chunk += "\n" }
            chunk += jsonObject(values)
            if chunk.utf8.count > 1 << 16 { flushChunk(keepLine: true) }
        }
    }

    package func finish() {
        switch format {
        case .table: emitTable()
        case .json: chunk += rowCount == 0 ? "]" : "\n]"
        default: break
        }
        flushChunk(keepLine: false)
    }

    private func emit(_ line: String) {
        if !chunk.isEmpty { chunk += "\n" }
        chunk += line
        if chunk.utf8.count > 1 << 16 { flushChunk(keepLine: false) }
    }

    private func flushChunk(keepLine: Bool) {
        guard !chunk.isEmpty else { return }
        if keepLine {
            // JSON array: the sink adds a newline, so hand over whole lines only.
            guard let cut = chunk.lastIndex(of: "\n") else { return }
            sink(String(chunk[..<cut]))
            chunk = String(chunk[chunk.index(after: cut)...])
        } else {
            sink(chunk)
            chunk = ""
        }
    }

    private func jsonObject(_ values: [SQLiteValue]) -> String {
        "{" + zip(columns, values).map { JSONQuote.quote($0) + ":" + QueryOutput.json($1) }.joined(separator: ",") + "}"
    }

    private func emitTable() {
        let cells = buffered.map { $0.map { $0 } }
        var widths = columns.map(\.count)
        for row in cells { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String], right: [Bool]) -> String {
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return right[i] ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let numeric = columns.indices.map { i in
            !buffered.isEmpty && buffered.allSatisfy { i < $0.count && (Double($0[i]) != nil || $0[i] == "NULL") }
        }
        emit(line(columns, right: numeric))
        emit(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in cells { emit(line(row, right: numeric)) }
        emit("(\(rowCount) row\(rowCount == 1 ? "" : "s"))")
    }

    /// A value as text: integers in decimal, reals in shortest round-trip form, NULL as `NULL`.
    static func plain(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "NULL"
        case .int(let v): String(v)
        case .double(let v): v.description
        case .text(let v): v
        case .blob(let v): "x'" + v.map { String($0, radix: 16).leftPadded(2) }.joined() + "'"
        }
    }

    static func json(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "null"
        case .int(let v): String(v)
        case .double(let v): v.isFinite ? v.description : "null"
        case .text(let v): JSONQuote.quote(v)
        case .blob: JSONQuote.quote(plain(value))
        }
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
