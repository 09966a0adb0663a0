import Foundation
import HomeBaseCore
import Lake

/// Maps model and provider names as invoices and logs spell them to one key, so the two sides
/// meet: dated snapshots (`claude-haiku-4-5-20251001`), Console display names (`Claude Haiku 4.5`),
/// OpenRouter slugs (`anthropic/claude-4.5-sonnet-20250929`) all become the API alias
/// (`claude-haiku-4-5`, `claude-sonnet-4-5`). Shipped aliases, overridden by `<data>/model-aliases.json`.
package struct ModelAliases: Sendable {
    /// Canonical spelling → alias target, both as `canonicalSpelling` produces them.
    package private(set) var models: [String: String]
    package private(set) var providers: [String: String]
    /// Lookups already made (a model name repeats on every row of an export).
    private var cache = AliasCache()

    package static let fileName = "model-aliases.json"

    /// Spellings the generic rules cannot reach (OpenRouter's older family-first names).
    package static let shipped = ModelAliases(
        models: [
            "claude-4-sonnet": "claude-sonnet-4", "claude-4-opus": "claude-opus-4",
            "claude-4-1-opus": "claude-opus-4-1", "claude-4-5-sonnet": "claude-sonnet-4-5",
            "claude-4-5-haiku": "claude-haiku-4-5", "claude-4-5-opus": "claude-opus-4-5",
            "claude-4-6-sonnet": "claude-sonnet-4-6", "claude-4-6-opus": "claude-opus-4-6",
            "claude-sonnet-4-0": "claude-sonnet-4", "claude-opus-4-0": "claude-opus-4"
        ], providers: [:])

    package init(models: [String: String] = [:], providers: [String: String] = [:]) {
        self.models = [:]
        self.providers = [:]
        for (from, to) in models { self.models[ModelAliases.canonicalSpelling(from)] = ModelAliases.canonicalSpelling(to) }
        for (from, to) in providers { self.providers[from.lowercased().trimmedSpaces] = to.lowercased().trimmedSpaces }
    }

    /// The shipped aliases plus `<dataDir>/model-aliases.json` when it exists:
    /// `{"models": {"from": "to"}, "providers": {"from": "to"}}` (a flat object means models).
    /// `extra` (the config file's `model_aliases`) wins over both.
    package static func load(dataDir: String, extra: [String: String] = [:]) throws -> ModelAliases {
        var aliases = try loadFile(dataDir: dataDir)
        guard !extra.isEmpty else { return aliases }
        for (from, to) in extra { aliases.models[canonicalSpelling(from)] = canonicalSpelling(to) }
        aliases.cache = AliasCache()
        return aliases
    }

    private static func loadFile(dataDir: String) throws -> ModelAliases {
        var aliases = shipped
        let path = dataDir + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return aliases }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            throw AliasFileError(path: path, message: "not valid JSON (\(error)); expected {\"models\": {\"from\": \"to\"}}")
        }
        guard case .object(let members) = value else {
            throw AliasFileError(path: path, message: "expected a JSON object {\"models\": {...}, \"providers\": {...}}")
        }
        let sections = members.contains { $0.key == "models" || $0.key == "providers" }
        for (key, section) in sections ? members : [("models", value)] {
            guard case .object(let pairs) = section, key == "models" || key == "providers" else {
                throw AliasFileError(path: path, message: "unknown section '\(key)'; use \"models\" and \"providers\"")
            }
            for (from, to) in pairs {
                guard let target = to.stringValue else {
                    throw AliasFileError(path: path, message: "\(key).\(from) must be a string")
                }
                if key == "models" {
                    aliases.models[canonicalSpelling(from)] = canonicalSpelling(target)
                } else {
                    aliases.providers[from.lowercased().trimmedSpaces] = target.lowercased().trimmedSpaces
                }
            }
        }
        aliases.cache = AliasCache()  // the shipped table's lookups no longer hold
        return aliases
    }

    /// The alias key of a model as either side spells it.
    package func model(_ name: String) -> String {
        if let known = cache.get(name) { return known }
        let key = uncachedModel(name)
        cache.set(name, key)
        return key
    }

    private func uncachedModel(_ name: String) -> String {
        let spelled = ModelAliases.canonicalSpelling(name)
        if let target = models[spelled] { return target }
        let simplified = ModelAliases.simplified(spelled)
        return models[simplified] ?? simplified
    }

    /// The provider key (lowercased, then the user's aliases: e.g. a relay mapped to `anthropic`).
    package func provider(_ name: String) -> String {
        let lower = name.lowercased().trimmedSpaces
        return providers[lower] ?? lower
    }

    /// Lowercase, vendor prefix and `:tag` dropped, spaces, dots and underscores to dashes:
    /// `Claude Haiku 4.5` → `claude-haiku-4-5`, `anthropic/claude-3.7-sonnet` → `claude-3-7-sonnet`.
    static func canonicalSpelling(_ name: String) -> String {
        var s = name.lowercased().trimmedSpaces
        if let slash = s.lastIndex(of: "/") { s = String(s[s.index(after: slash)...]) }
        if let colon = s.firstIndex(of: ":") { s = String(s[..<colon]) }
        s = String(s.map { $0 == " " || $0 == "." || $0 == "_" ? "-" : $0 })
        while s.contains("--") { s = s.replacingOccurrences(of: "--", with: "-") }
        return s
    }

    /// Dated snapshot and `-latest` suffixes removed (`gpt-4.1-2025-04-14` → `gpt-4-1`).
    static func simplified(_ spelled: String) -> String {
        PriceBook.normalise(spelled)
    }
}

/// `<data>/model-aliases.json` cannot be used as it is.
package struct AliasFileError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var message: String
    package var description: String { "\(path): \(message)" }
}

/// A shared lookup cache for `ModelAliases` (a reference, so copies of the struct share it).
private final class AliasCache: @unchecked Sendable {
    private var entries: [String: String] = [:]
    private let lock = NSLock()
    func get(_ key: String) -> String? { lock.lock(); defer { lock.unlock() }; return entries[key] }
    func set(_ key: String, _ value: String) { lock.lock(); entries[key] = value; lock.unlock() }
}
