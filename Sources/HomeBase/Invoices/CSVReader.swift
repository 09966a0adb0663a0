/// One CSV record: its fields and the 1-based line on which it starts.
package struct CSVRecord: Sendable, Equatable {
    package var fields: [String]
    package var line: Int64
}

/// An RFC 4180 reader over a whole file held in memory (invoice exports are small): quoted
/// fields with `""` escapes and embedded line breaks, CRLF or LF, a UTF-8 BOM skipped. Lenient
/// like spreadsheet programs: a quote inside an unquoted field is kept as a character.
package enum CSVReader {
    /// Why a file is not valid CSV.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var line: Int64
        package var message: String
        package var description: String { "line \(line): \(message)" }
    }

    package static func records(_ bytes: [UInt8]) throws(Failure) -> [CSVRecord] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line: Int64 = 1
        var recordLine: Int64 = 1
        var quoted = false         // inside a quoted field
        var fieldStarted = false   // the current record has at least one character or comma
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        func endRecord() {
            if fieldStarted || !fields.isEmpty { endField(); records.append(CSVRecord(fields: fields, line: recordLine)) }
            fields.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        while index < bytes.count {
            let c = bytes[index]
            index += 1
            if quoted {
                if c == quote {
                    if index < bytes.count && bytes[index] == quote { field.append(quote); index += 1 } else { quoted = false }
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case quote where field.isEmpty:
                quoted = true
                fieldStarted = true
            case comma:
                endField()
                fieldStarted = true
            case cr where index < bytes.count && bytes[index] == lf:
                break
            case lf, cr:
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
                fieldStarted = true
            }
        }
        if quoted { throw Failure(line: recordLine, message: "a quoted field is not closed before the end of the file") }
        endRecord()
        return records
    }
}
