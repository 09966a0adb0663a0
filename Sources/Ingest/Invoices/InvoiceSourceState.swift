import HomeBaseCore
/// What the catalog keeps in `sources.parser_state` for an invoice file: its format and the keys it owns.
struct InvoiceSourceState {
    var format: String
    var keys: [String]
    /// Lines waited for an exchange rate (quarantined): read the file again even when unchanged.
    var missingRates = false

    init(format: String, keys: [String], missingRates: Bool = false) {
        self.format = format
        self.keys = keys
        self.missingRates = missingRates
    }

    init(json: String?) {
        let value = json.flatMap { try? JSONValue.parse($0) }
        format = value?["format"]?.stringValue ?? ""
        if case .array(let items)? = value?["keys"] { keys = items.compactMap(\.stringValue) } else { keys = [] }
        if case .bool(true)? = value?["missing_rates"] { missingRates = true }
    }

    var json: String {
        "{\"format\":" + JSONQuote.quote(format) + ",\"keys\":[" + keys.map(JSONQuote.quote).joined(separator: ",") + "]"
            + (missingRates ? ",\"missing_rates\":true}" : "}")
    }
}
