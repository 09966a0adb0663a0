import HomeBaseCore

/// A JSON object written member by member in a fixed order, so commits are byte-for-byte
/// reproducible (a rebuilt log equals the one written live).
struct DeltaJSON {
    private(set) var text = "{"
    private var empty = true

    init() {}

    private mutating func key(_ name: String) {
        if !empty { text += "," }
        empty = false
        text += JSONQuote.quote(name) + ":"
    }

    mutating func string(_ name: String, _ value: String) { key(name); text += JSONQuote.quote(value) }
    mutating func int(_ name: String, _ value: Int64) { key(name); text += String(value) }
    mutating func bool(_ name: String, _ value: Bool) { key(name); text += value ? "true" : "false" }
    /// A member whose value is already JSON text.
    mutating func raw(_ name: String, _ json: String) { key(name); text += json }
    mutating func object(_ name: String, _ build: (inout DeltaJSON) -> Void) {
        var inner = DeltaJSON()
        build(&inner)
        raw(name, inner.finished)
    }
    mutating func stringArray(_ name: String, _ values: [String]) {
        raw(name, "[" + values.map(JSONQuote.quote).joined(separator: ",") + "]")
    }

    var finished: String { text + "}" }

    /// A double as JSON: the shortest text that reads back to the same value; nil for NaN/∞,
    /// which JSON cannot carry.
    static func number(_ value: Double) -> String? {
        value.isFinite ? "\(value)" : nil  // Swift prints 5.0, 0.1, 1e+16: all valid JSON
    }
}
