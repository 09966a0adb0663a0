import Foundation

/// Prices calls whose logged cost is 0 or missing: the shipped table, overridden by a user file.
/// A model with no price is never silently $0: `price(provider:model:)` returns nil and callers count it.
package struct PriceBook: Sendable {
    package private(set) var entries: [String: ModelPrice]
    package var asOf: String

    /// The shipped table only.
    package static let shipped = PriceBook(entries: ShippedPrices.table, asOf: ShippedPrices.asOf)

    package init(entries: [String: ModelPrice], asOf: String) {
        self.entries = [:]
        self.asOf = asOf
        for (key, price) in entries { set(key, price) }
    }

    /// Adds or replaces a price; `key` is `provider/model`, `model`, `provider/*`.
    package mutating func set(_ key: String, _ price: ModelPrice) {
        entries[PriceBook.normaliseKey(key)] = price
    }

    /// The price for a call, most specific first: provider+model, any-provider model, provider wildcard.
    package func price(provider: String, model: String) -> ModelPrice? {
        let p = provider.lowercased()
        for candidate in PriceBook.modelCandidates(model) {
            if let price = entries["\(p)/\(candidate)"] { return price }
            if let price = entries["*/\(candidate)"] { return price }
        }
        return entries["\(p)/*"]
    }

    /// Model spellings to try, from exact to most simplified: lowercase, `.`→`-`, provider
    /// prefixes (`anthropic/…`), date suffixes (`-20250929`, `-2025-09-29`), tags (`:cloud`, `-latest`).
    static func modelCandidates(_ model: String) -> [String] {
        var candidates: [String] = []
        func add(_ s: String) { if !s.isEmpty && !candidates.contains(s) { candidates.append(s) } }
        let lower = model.lowercased()
        add(lower)
        var simplified = normalise(lower)
        add(simplified)
        if let slash = simplified.lastIndex(of: "/") {
            simplified = String(simplified[simplified.index(after: slash)...])
            add(simplified)
        }
        return candidates
    }

    /// The canonical spelling used as a table key.
    package static func normalise(_ model: String) -> String {
        var s = model.lowercased()
        if let colon = s.firstIndex(of: ":") { s = String(s[..<colon]) }
        s = s.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
        for suffix in ["-latest", "-preview-latest"] where s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        // Dated snapshot suffixes: -YYYYMMDD or -YYYY-MM-DD.
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        if let last = parts.last, last.count == 8, last.allSatisfy(\.isNumber), last.hasPrefix("20") {
            s = parts.dropLast().joined(separator: "-")
        } else if parts.count >= 4, parts[parts.count - 3].count == 4, parts[parts.count - 3].hasPrefix("20"),
            parts.suffix(3).allSatisfy({ $0.allSatisfy(\.isNumber) })
        {
            s = parts.dropLast(3).joined(separator: "-")
        }
        return s
    }

    static func normaliseKey(_ key: String) -> String {
        guard let slash = key.firstIndex(of: "/") else { return "*/" + normalise(key) }
        let provider = key[..<slash].lowercased()
        let model = String(key[key.index(after: slash)...])
        return provider + "/" + (model == "*" ? "*" : normalise(model))
    }
}
