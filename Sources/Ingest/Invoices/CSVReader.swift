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

    /// A record the reader skipped: its line, why, and its first line's text.
    package struct Skipped: Sendable, Equatable {
        package var line: Int64
        package var message: String
        package var excerpt: String
    }

    /// What a recovering read gave: the records, and those skipped.
    package struct Recovered: Sendable {
        package var records: [CSVRecord]
        package var skipped: [Skipped]
    }

    /// At most this many unclosed quotes are skipped in one file; past it the file is not CSV.
    /// (Each skip re-reads the rest of the file, so this also bounds the work.)
    static let maxSkipped = 100

    /// Strict: an unclosed quote fails the whole file.
    package static func records(_ bytes: [UInt8]) throws(Failure) -> [CSVRecord] {
        var records: [CSVRecord] = []
        _ = try scan(bytes, recover: false) {
            records.append($0); return true
        }
        return records
    }

    /// Like ``records(_:)``, but a quoted field still open at the end of the file skips only the
    /// record it starts (one line, reported in `skipped`) and reading resumes on the next line:
    /// one stray quote must not swallow the rest of an export.
    package static func recordsRecovering(_ bytes: [UInt8]) throws(Failure) -> Recovered {
        var records: [CSVRecord] = []
        let skipped = try scan(bytes, recover: true) {
            records.append($0); return true
        }
        return Recovered(records: records, skipped: skipped)
    }

    /// The recovering read without holding the records: `body` gets each in file order and
    /// returns false to stop early. Returns the skipped records (see ``recordsRecovering(_:)``).
    package static func forEachRecord(_ bytes: [UInt8], _ body: (CSVRecord) -> Bool) throws(Failure) -> [Skipped] {
        try scan(bytes, recover: true, body)
    }

    private static func scan(_ bytes: [UInt8], recover: Bool, _ emit: (CSVRecord) -> Bool) throws(Failure) -> [Skipped] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var skipped: [Skipped] = []
        var stopped = false
        var fields: [String] = []
        var field: [UInt8] = []
        var line: Int64 = 1
        var recordLine: Int64 = 1
        var recordStart = index  // byte index where the current record begins
        var quoted = false  // inside a quoted field
        var fieldStarted = false  // the current record has at least one character or comma
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        func endRecord() {
            if fieldStarted || !fields.isEmpty {
                endField()
                if !emit(CSVRecord(fields: fields, line: recordLine)) { stopped = true }
            }
            fields.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        while true {
            while index < bytes.count && !stopped {
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
                    recordStart = index
                default:
                    field.append(c)
                    fieldStarted = true
                }
            }
            guard quoted && !stopped else { break }
            let message = "a quoted field is not closed before the end of the file"
            guard recover, skipped.count < maxSkipped else { throw Failure(line: recordLine, message: message) }
            // Skip the record's first line and read on from the next one.
            var lineEnd = recordStart
            while lineEnd < bytes.count && bytes[lineEnd] != lf && bytes[lineEnd] != cr { lineEnd += 1 }
            let excerpt = String(decoding: bytes[recordStart..<min(lineEnd, recordStart + 1024)], as: UTF8.self)
            skipped.append(
                Skipped(
                    line: recordLine, message: message + " (an unbalanced quote on this line); the line was skipped and the lines after it read",
                    excerpt: excerpt))
            if lineEnd < bytes.count && bytes[lineEnd] == cr && lineEnd + 1 < bytes.count && bytes[lineEnd + 1] == lf { lineEnd += 1 }
            index = lineEnd + 1
            line = recordLine + 1
            recordLine = line
            recordStart = index
            quoted = false
            fields.removeAll(keepingCapacity: true)
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        if !stopped { endRecord() }
        return skipped
    }
}
