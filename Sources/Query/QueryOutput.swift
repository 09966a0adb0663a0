import Foundation
import HomeBaseCore
import SQLiteStore

/// Writes query results as an aligned table, CSV (RFC 4180), JSON lines or one JSON array.
/// Reals print in Swift's shortest round-trip form; NULL is empty in CSV, `null` in JSON, `NULL` in tables.
package enum QueryFormat: String, Sendable, CaseIterable {
    case table, csv, jsonl, json
}

/// Streams rows to a sink in chunks. The table format sizes its columns from the first
/// ``tableSample`` rows, then streams the rest in those widths (a longer cell widens only its
/// own line), so memory stays bounded whatever the row count.
package final class QueryOutput {
    /// Rows held to size a table's columns before it starts printing.
    static let tableSample = 1000

    private let format: QueryFormat
    private let sink: (String) -> Void
    private var columns: [String] = []
    private var buffered: [[String]] = []
    /// Set once the table header is out: column widths and right-alignment.
    private var widths: [Int]?
    private var numeric: [Bool] = []
    private var chunk = ""
    private var rowCount = 0
    /// `{"column":` and `,"column":`, quoted once.
    private var jsonKeys: [String] = []

    /// `sink` receives text without a final newline, as `Console.out` takes it.
    package init(format: QueryFormat, sink: @escaping (String) -> Void) {
        self.format = format
        self.sink = sink
    }

    package func begin(_ columns: [String]) {
        self.columns = columns
        jsonKeys = columns.enumerated().map { ($0 == 0 ? "{" : ",") + JSONQuote.quote($1) + ":" }
        switch format {
        case .csv: emit(columns.map(CSVField.text).joined(separator: ","))
        case .json: emit("[")
        default: break
        }
    }

    package func row(_ values: [SQLiteValue]) {
        rowCount += 1
        switch format {
        case .table:
            let cells = values.map(QueryOutput.plain)
            if widths != nil {
                emit(tableLine(cells))
            } else {
                buffered.append(cells)
                if buffered.count >= Self.tableSample { startTable() }
            }
        case .csv: emit(values.map(QueryOutput.csvField).joined(separator: ","))
        case .jsonl: emit(jsonObject(values))
        case .json:
            if rowCount > 1 { chunk += ",\n" } else { chunk += "\n" }
            chunk += jsonObject(values)
            if chunk.utf8.count > 1 << 16 { flushChunk(keepLine: true) }
        }
    }

    package func finish() {
        switch format {
        case .table:
            if widths == nil { startTable() }
            emit("(\(rowCount) row\(rowCount == 1 ? "" : "s"))")
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
        var object = ""
        object.reserveCapacity(64 * values.count)
        for (key, value) in zip(jsonKeys, values) {
            object += key
            object += QueryOutput.json(value)
        }
        return object + (values.isEmpty ? "{}" : "}")
    }

    /// Sizes the columns from the rows held so far, prints the header and those rows, and lets go of them.
    private func startTable() {
        var widths = columns.map(\.count)
        for row in buffered { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        self.widths = widths
        numeric = columns.indices.map { i in
            !buffered.isEmpty && buffered.allSatisfy { i < $0.count && (Double($0[i]) != nil || $0[i] == "NULL") }
        }
        emit(tableLine(columns))
        emit(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in buffered { emit(tableLine(row)) }
        buffered = []
    }

    private func tableLine(_ row: [String]) -> String {
        let widths = widths ?? []
        return row.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: max(0, (i < widths.count ? widths[i] : 0) - cell.count))
            return i < numeric.count && numeric[i] ? pad + cell : cell + pad
        }.joined(separator: "  ").trimmingTrailingSpaces()
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

    /// A CSV field: text formula-guarded and quoted when needed (`CSVField`), numbers bare, NULL empty.
    static func csvField(_ value: SQLiteValue) -> String {
        switch value {
        case .null: ""
        case .text(let text): CSVField.text(text)
        default: CSVField.minimal(plain(value))
        }
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
