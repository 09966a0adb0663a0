/// What one export file gave: its format, its rows, and the rows that could not be read.
package struct InvoiceParseResult: Sendable {
    package var format: InvoiceFormat
    package var lines: [InvoiceLine] = []
    package var bad: [BadRow] = []
    /// Records read (CSV data rows or JSON results), good and bad.
    package var records = 0
    /// Set when the file turned out not to be readable as CSV at all (then nothing of it is used).
    package var malformed: String?

    /// A row sent to quarantine: 1-based line (CSV) or result ordinal (JSON), reason, excerpt.
    package struct BadRow: Sendable, Equatable {
        package var line: Int64
        package var reason: String
        package var excerpt: String
    }

    package init(format: InvoiceFormat) { self.format = format }
}

/// A CSV data row with its columns looked up by header name (absent columns read as empty).
struct CSVRow {
    let record: CSVRecord
    let columns: [String: Int]

    subscript(_ name: String) -> String {
        guard let index = columns[name], index < record.fields.count else { return "" }
        return record.fields[index]
    }

    func has(_ name: String) -> Bool { columns[name] != nil }
    var line: Int64 { record.line }
    /// The raw row, for quarantine excerpts.
    var excerpt: String { String(record.fields.joined(separator: ",").prefix(1024)) }
}

extension InvoiceParseResult {
    /// Runs `body` for each data row after the header as the rows are read, quarantining rows
    /// whose `body` throws, rows with another field count than the header, and records the reader
    /// skipped (an unclosed quote). A file that is not CSV at all sets `malformed`.
    static func eachRow(
        _ records: CSVRecordStream, format: InvoiceFormat,
        _ body: (CSVRow, inout [InvoiceLine]) throws(InvoiceRowError) -> Void
    ) -> InvoiceParseResult {
        var result = InvoiceParseResult(format: format)
        var header: CSVRecord?
        var columns: [String: Int] = [:]
        do {
            let skipped = try records.forEach { record in
                guard let header else {
                    header = record
                    for (i, name) in record.fields.enumerated() where columns[name.trimmedSpaces] == nil { columns[name.trimmedSpaces] = i }
                    return
                }
                let row = CSVRow(record: record, columns: columns)
                result.records += 1
                if record.fields.allSatisfy({ $0.trimmedSpaces.isEmpty }) { return }  // a blank line inside the file
                do throws(InvoiceRowError) {
                    if record.fields.count != header.fields.count {
                        throw InvoiceRowError("\(record.fields.count) fields where the header has \(header.fields.count)")
                    }
                    var lines: [InvoiceLine] = []
                    try body(row, &lines)
                    result.lines += lines
                } catch {
                    result.bad.append(BadRow(line: record.line, reason: error.message, excerpt: row.excerpt))
                }
            }
            for record in skipped {
                result.records += 1
                result.bad.append(BadRow(line: record.line, reason: record.message, excerpt: record.excerpt))
            }
            result.bad.sort { $0.line < $1.line }
        } catch {
            result.malformed = "not CSV: \(error)"
        }
        return result
    }
}
