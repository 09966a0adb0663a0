import HomeBaseCore

/// Reads a rate file for `homebase fx import`: our own CSV (`date,currency,rate_to_usd`, dollars
/// per unit of the currency) or the ECB reference-rate CSV (`eurofxref-hist.csv` or
/// `eurofxref.csv`: `Date,USD,JPY,…`, units of each currency per euro, `N/A` where the ECB has no
/// rate). ECB rates become dollars per unit: EUR is the `USD` column, another currency X is
/// `USD ÷ X` rounded half-even to ``places`` decimals.
package enum FXRateFile {
    /// Decimals kept for a rate computed by division (exact rates, e.g. from our CSV, keep theirs).
    package static let places = 12

    package enum Format: String, Sendable { case homeBase = "date,currency,rate_to_usd", ecb = "ECB reference rates" }

    /// What one file gave: its format, its rates, and the lines that could not be read.
    package struct Result: Sendable {
        package var format: Format
        package var rates: [FXRateTable.Rate] = []
        package var bad: [InvoiceParseResult.BadRow] = []
        /// Data lines read, good and bad (blank lines not counted).
        package var records = 0
    }

    /// Why a file is not a rate file at all.
    package struct Unrecognised: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    package static func parse(_ bytes: [UInt8], path: String) throws(Unrecognised) -> Result {
        let records: [CSVRecord]
        do {
            let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            records = try CSVReader.records(Array(bytes[start...]))
        } catch {
            throw Unrecognised(description: "\(path): not CSV: \(error)")
        }
        guard let header = records.first else { throw Unrecognised(description: "\(path): empty file; expected a header line") }
        let names = header.fields.map { $0.trimmedSpaces }
        let rows = records.dropFirst()
        if names.map({ $0.lowercased() }) == ["date", "currency", "rate_to_usd"] { return homeBase(rows, path: path) }
        if names.first == "Date", names.contains("USD") { return ecb(rows, header: names, path: path) }
        throw Unrecognised(
            description:
                "\(path):\(header.line): header '\(names.joined(separator: ","))' is neither date,currency,rate_to_usd nor the ECB "
                + "reference-rate CSV (Date,USD,JPY,…); fix the header or convert the file")
    }

    private static func homeBase(_ rows: ArraySlice<CSVRecord>, path: String) -> Result {
        var result = Result(format: .homeBase)
        eachRecord(rows, into: &result) { fields, result, bad in
            guard fields.count == 3 else { bad("\(fields.count) fields where date,currency,rate_to_usd has 3"); return }
            guard UTCDate.parseDate(fields[0]) != nil else { bad("date '\(fields[0])' is not YYYY-MM-DD"); return }
            guard let currency = currencyCode(fields[1]) else {
                bad("currency '\(fields[1])' is not a three-letter ISO 4217 code such as EUR"); return
            }
            guard let rate = Money(fields[2]), rate > .zero else {
                bad("rate_to_usd '\(fields[2])' is not a positive decimal (dollars per one \(currency))"); return
            }
            result.rates.append(.init(date: fields[0], currency: currency, rateToUSD: rate, source: path))
        }
        return result
    }

    private static func ecb(_ rows: ArraySlice<CSVRecord>, header: [String], path: String) -> Result {
        var result = Result(format: .ecb)
        guard let usdColumn = header.firstIndex(of: "USD") else { return result }
        eachRecord(rows, into: &result) { fields, result, bad in
            guard fields.count == header.count else { bad("\(fields.count) fields where the header has \(header.count)"); return }
            let date = fields[0]
            guard UTCDate.parseDate(date) != nil else { bad("Date '\(date)' is not YYYY-MM-DD"); return }
            guard let usdPerEuro = Money(fields[usdColumn]), usdPerEuro > .zero else {
                bad("USD '\(fields[usdColumn])' is not a positive rate, so no currency of this day converts to dollars; fix or drop the line")
                return
            }
            result.rates.append(.init(date: date, currency: "EUR", rateToUSD: usdPerEuro, source: path))
            var problems: [String] = []
            for (column, name) in header.enumerated() where column != 0 && column != usdColumn && !name.isEmpty {
                let text = fields[column]
                if text.isEmpty || text == "N/A" { continue }  // the ECB had no rate that day
                guard let currency = currencyCode(name) else { problems.append("column '\(name)' is not a currency code"); continue }
                guard let perEuro = Money(text), perEuro > .zero, let rate = usdPerEuro.divided(by: perEuro, places: places), rate > .zero else {
                    problems.append("\(currency) '\(text)' is not a positive rate")
                    continue
                }
                result.rates.append(.init(date: date, currency: currency, rateToUSD: rate, source: path))
            }
            if !problems.isEmpty { bad(problems.joined(separator: "; ") + " (the other rates of the line were imported); fix those cells") }
        }
        return result
    }

    /// Calls `body` with the trimmed fields of every non-blank record (counted in
    /// `result.records`) and a `bad` that records the line, the reason and an excerpt.
    private static func eachRecord(
        _ rows: ArraySlice<CSVRecord>, into result: inout Result, _ body: ([String], inout Result, (String) -> Void) -> Void
    ) {
        for record in rows {
            let fields = record.fields.map { $0.trimmedSpaces }
            if fields.allSatisfy(\.isEmpty) { continue }
            result.records += 1
            var problems: [InvoiceParseResult.BadRow] = []
            body(fields, &result) { reason in
                problems.append(.init(line: record.line, reason: reason, excerpt: String(fields.joined(separator: ",").prefix(1024))))
            }
            result.bad += problems
        }
    }

    /// `EUR`, `eur` → `EUR`; nil unless three ASCII letters.
    static func currencyCode(_ text: String) -> String? {
        let upper = text.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { return nil }
        return upper
    }
}
