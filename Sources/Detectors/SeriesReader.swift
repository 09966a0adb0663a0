import HomeBaseCore
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a `timestamp,value` CSV one line at a time (memory bounded by the longest line).
/// The header names the columns (any order, other columns ignored, case and spaces ignored).
/// Blank lines are skipped; an empty value or `NA`/`NaN`/`null` is a missing point. A bad line
/// throws a `SeriesError` naming its line; the next call carries on after it, so a caller may
/// choose to stop or to count and report it.
package final class SeriesReader {
    package let path: String
    /// The 1-based number of the line read last.
    package private(set) var lineNumber = 0
    /// The timestamp of the point read last, as written (trimmed).
    package private(set) var timestampText = ""
    private let file: UnsafeMutablePointer<FILE>
    private var timestampColumn = 0
    private var valueColumn = 1
    private var columnCount = 2
    private var lastMicros: Int64?
    private var line: [UInt8] = []
    private var raw: UnsafeMutablePointer<CChar>?
    private var rawCapacity = 0

    /// Opens `path` and reads its header.
    package init(path: String) throws(SeriesError) {
        self.path = path
        guard let file = fopen(path, "r") else {
            throw SeriesError(
                file: path, line: 0, code: .cannotOpen, reason: "cannot open the series file",
                fix: "check the path and that it is readable")
        }
        self.file = file
        var header: [String]?
        while readLine() {
            if isBlank(line) { continue }
            header = Self.fields(line[...]).map { String(decoding: $0, as: UTF8.self).lowercased().trimmingSpaces() }
            break
        }
        guard let header else {
            throw SeriesError(
                file: path, line: lineNumber, code: .missingHeader, reason: "the file has no header line",
                fix: "start the file with the line timestamp,value")
        }
        guard let t = header.firstIndex(of: "timestamp"), let v = header.firstIndex(of: "value") else {
            throw SeriesError(
                file: path, line: lineNumber, code: .badHeader,
                reason: "the header '\(header.joined(separator: ","))' has no timestamp and value columns",
                fix: "name the columns timestamp,value")
        }
        timestampColumn = t
        valueColumn = v
        columnCount = header.count
    }

    deinit {
        fclose(file)
        free(raw)
    }

    /// The next point, or nil at the end of the file.
    package func next() throws(SeriesError) -> SeriesPoint? {
        while readLine() {
            if isBlank(line) { continue }
            let fields = Self.fields(line[...])
            guard fields.count == columnCount else {
                throw error(
                    .badLine, "\(fields.count) fields where the header has \(columnCount)",
                    "give every line the header's columns; quote values holding commas")
            }
            let micros: Int64
            switch Timestamp.parse(Self.trimmed(fields[timestampColumn])) {
            case .success(let m): micros = m
            case .failure(let failure):
                throw error(
                    .badTimestamp, "bad timestamp '\(String(decoding: fields[timestampColumn], as: UTF8.self))': \(failure.reason)",
                    "use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC) or ISO-8601 such as 2026-01-31T12:00:00Z")
            }
            let value = try parseValue(Self.trimmed(fields[valueColumn]))
            if let last = lastMicros, micros <= last {
                throw error(
                    .outOfOrder,
                    "timestamp \(UTCDate.isoString(micros: micros)) is not after the previous point's \(UTCDate.isoString(micros: last))",
                    "sort the file by timestamp and keep one value per timestamp")
            }
            lastMicros = micros
            timestampText = String(decoding: Self.trimmed(fields[timestampColumn]), as: UTF8.self)
            return SeriesPoint(micros: micros, value: value)
        }
        return nil
    }

    private func parseValue(_ bytes: ArraySlice<UInt8>) throws(SeriesError) -> Double? {
        if bytes.isEmpty { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        if let value = Double(text) {
            guard value.isFinite else {
                throw error(
                    .badValue, "value '\(text)' is not finite", "write a decimal number, or leave the value empty (or NA) for a missing point")
            }
            return value
        }
        switch text.lowercased() {
        case "na", "nan", "null", "none", "n/a": return nil
        default:
            throw error(.badValue, "bad value '\(text)'", "write a decimal number, or leave the value empty (or NA) for a missing point")
        }
    }

    private func error(_ code: SeriesError.Code, _ reason: String, _ fix: String) -> SeriesError {
        SeriesError(file: path, line: lineNumber, code: code, reason: reason, fix: fix)
    }

    /// Reads the next line into `line` without its line ending; false at the end of the file.
    private func readLine() -> Bool {
        let count = getline(&raw, &rawCapacity, file)
        guard count >= 0, let buffer = raw else { return false }
        lineNumber += 1
        var n = count
        while n > 0, buffer[n - 1] == 10 || buffer[n - 1] == 13 { n -= 1 }
        line.removeAll(keepingCapacity: true)
        buffer.withMemoryRebound(to: UInt8.self, capacity: n) { line.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        return true
    }

    private func isBlank(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 == 32 || $0 == 9 } }

    /// Splits a CSV line on commas outside double quotes; quotes are removed ("" is one quote).
    static func fields(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        guard bytes.contains(UInt8(ascii: "\"")) else { return bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) }
        var result: [ArraySlice<UInt8>] = []
        var current: [UInt8] = []
        var quoted = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let b = bytes[index]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "\"") {
                        current.append(b)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == UInt8(ascii: ",") {
                result.append(current[...])
                current = []
            } else {
                current.append(b)
            }
            index += 1
        }
        result.append(current[...])
        return result
    }

    /// The field without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = bytes.startIndex, e = bytes.endIndex
        while s < e, bytes[s] == 32 || bytes[s] == 9 { s += 1 }
        while e > s, bytes[e - 1] == 32 || bytes[e - 1] == 9 { e -= 1 }
        return bytes[s..<e]
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(decoding: SeriesReader.trimmed(ArraySlice(utf8)), as: UTF8.self)
    }
}
