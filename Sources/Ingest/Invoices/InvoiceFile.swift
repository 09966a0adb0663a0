import HomeBaseCore
/// Reads one export file: recognises its format from the content and hands it to its parser.
package enum InvoiceFile {
    /// Why a file is not read as an invoice at all. Not an export (no known header or buckets):
    /// listed as ignored. `malformed` (broken JSON or CSV, e.g. a truncated download): the file
    /// could not be read, a warning (exit 3), and it is tried again next run.
    package struct Unrecognised: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var malformed = false
        package var description: String { reason }
    }

    /// Parses `bytes` (the whole file at `path`); throws `Unrecognised` when no format fits.
    package static func parse(_ bytes: [UInt8], path: String, aliases: ModelAliases) throws(Unrecognised) -> InvoiceParseResult {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard let first = bytes[start...].first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw Unrecognised(reason: "empty file")
        }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return try parseJSON(bytes, path: path, aliases: aliases) }
        let records = CSVRecordStream(bytes: bytes)
        let header: CSVRecord?
        do { header = try records.header() } catch { throw Unrecognised(reason: "not CSV: \(error)", malformed: true) }
        guard let header, let format = InvoiceFormat.detect(csvHeader: header.fields) else {
            throw Unrecognised(reason: "CSV header names no known invoice or usage export")
        }
        let result: InvoiceParseResult
        switch format {
        case .openAICostsCSV: result = OpenAIInvoiceParser.costsCSV(records, path: path, aliases: aliases)
        case .openAIUsageCSV: result = OpenAIInvoiceParser.usageCSV(records, path: path, aliases: aliases)
        case .anthropicCostCSV: result = AnthropicInvoiceParser.costCSV(records, path: path, aliases: aliases)
        case .anthropicUsageCSV: result = AnthropicInvoiceParser.usageCSV(records, path: path, aliases: aliases)
        case .openRouterActivityCSV: result = OpenRouterInvoiceParser.activityCSV(records, path: path, aliases: aliases)
        case .focusCSV: result = FocusInvoiceParser.costCSV(records, path: path, aliases: aliases)
        default: throw Unrecognised(reason: "CSV header names no known invoice or usage export")
        }
        if let malformed = result.malformed { throw Unrecognised(reason: malformed, malformed: true) }
        return result
    }

    /// A page (`{"data": [bucket…]}`), a bucket, or an array of pages or buckets, as the OpenAI and
    /// Anthropic admin APIs return them. Results are numbered 1, 2, … in file order (`x_SourceLine`).
    private static func parseJSON(_ bytes: [UInt8], path: String, aliases: ModelAliases) throws(Unrecognised) -> InvoiceParseResult {
        let document: JSONValue
        do {
            // A UTF-8 BOM (Windows tools write one) is not part of the document.
            let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            document = try bytes.withUnsafeBytes { buffer throws(JSONScanError) in
                try JSONValue.parse(UnsafeRawBufferPointer(rebasing: buffer[start...]))
            }
        } catch {
            throw Unrecognised(reason: "not valid JSON (truncated or damaged download?): \(error); fix or re-download the export", malformed: true)
        }
        var buckets: [JSONValue] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .array(let items): items.forEach(collect)
            case .object:
                if case .array(let data)? = value["data"] { data.forEach(collect) } else if value["results"] != nil { buckets.append(value) }
            default: break
            }
        }
        collect(document)
        let format = buckets.lazy.compactMap { bucket -> InvoiceFormat? in
            guard case .array(let results)? = bucket["results"] else { return nil }
            return results.lazy.compactMap(InvoiceFormat.detect(jsonResult:)).first
        }.first
        guard let format else {
            throw Unrecognised(reason: buckets.isEmpty ? "JSON holds no cost or usage buckets" : "JSON buckets hold no results of a known kind")
        }
        var result = InvoiceParseResult(format: format)
        var ordinal: Int64 = 0
        for bucket in buckets {
            let results: [JSONValue]
            if case .array(let items)? = bucket["results"] {
                results = items
            } else {
                // Not an empty bucket: a bucket whose results cannot be read says nothing about the period.
                ordinal += 1
                result.records += 1
                result.bad.append(.init(line: ordinal, reason: "bucket: results is not an array", excerpt: excerpt(bucket)))
                continue
            }
            let bounds: (Int64, Int64)?
            do throws(InvoiceRowError) {
                let openAI = format == .openAICostsJSON || format == .openAIUsageJSON
                bounds = (
                    try InvoiceValue.time(bucket[openAI ? "start_time" : "starting_at"], field: openAI ? "start_time" : "starting_at"),
                    try InvoiceValue.time(bucket[openAI ? "end_time" : "ending_at"], field: openAI ? "end_time" : "ending_at")
                )
            } catch {
                ordinal += 1
                result.records += 1
                result.bad.append(.init(line: ordinal, reason: "bucket: \(error.message)", excerpt: excerpt(bucket)))
                ordinal += Int64(results.count)
                continue
            }
            guard let (start, end) = bounds else { continue }
            if results.isEmpty {
                // An empty bucket still says the export covers this period with nothing in it.
                ordinal += 1
                result.records += 1
                var empty = InvoiceLine(
                    start: start, end: end, provider: format.provider, file: path, line: ordinal,
                    dataset: format == .openAICostsJSON || format == .anthropicCostJSON ? .cost : .usage, format: format)
                if empty.dataset == .cost { empty.billedCost = .zero }
                empty.chargeDescription = "no usage in this period"
                result.lines.append(empty)
                continue
            }
            for item in results {
                ordinal += 1
                result.records += 1
                do throws(InvoiceRowError) {
                    switch format {
                    case .openAICostsJSON:
                        try OpenAIInvoiceParser.costsResult(
                            item, bucketStart: start, bucketEnd: end, path: path, ordinal: ordinal, aliases: aliases, into: &result.lines)
                    case .openAIUsageJSON:
                        try OpenAIInvoiceParser.usageResult(
                            item, bucketStart: start, bucketEnd: end, path: path, ordinal: ordinal, aliases: aliases, into: &result.lines)
                    case .anthropicCostJSON:
                        try AnthropicInvoiceParser.costResult(
                            item, bucketStart: start, bucketEnd: end, path: path, ordinal: ordinal, aliases: aliases, into: &result.lines)
                    default:
                        try AnthropicInvoiceParser.usageResult(
                            item, bucketStart: start, bucketEnd: end, path: path, ordinal: ordinal, aliases: aliases, into: &result.lines)
                    }
                } catch {
                    result.bad.append(.init(line: ordinal, reason: error.message, excerpt: excerpt(item)))
                }
            }
        }
        return result
    }

    private static func excerpt(_ value: JSONValue) -> String {
        String(text(value).prefix(1024))
    }

    /// Compact JSON text of a parsed value (numbers as written), for quarantine excerpts.
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n
        case .string(let s): JSONQuote.quote(s)
        case .array(let items): "[" + items.map(text).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { JSONQuote.quote($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
        }
    }
}
