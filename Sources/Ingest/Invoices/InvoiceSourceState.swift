import HomeBaseCore
/// What the catalog keeps in `sources.parser_state` for an invoice file: its format and the keys it owns.
struct InvoiceSourceState {
    var format: String
    var keys: [String]

    init(format: String, keys: [String]) { self.format = format; self.keys = keys }

    init(json: String?) {
        let value = json.flatMap { try? JSONValue.parse($0) }
        format = value?["format"]?.stringValue ?? ""
        if case .array(let items)? = value?["keys"] { keys = items.compactMap(\.stringValue) } else { keys = [] }
    }

    var json: String {
        "{\"format\":" + JSONQuote.quote(format) + ",\"keys\":[" + keys.map(JSONQuote.quote).joined(separator: ",") + "]}"
    }
}
