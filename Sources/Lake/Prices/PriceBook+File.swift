import Foundation
import HomeBaseCore

/// A price file that cannot be used; names the file and what to fix.
package struct PriceFileError: Error, CustomStringConvertible, Sendable {
    package var path: String
    package var message: String
    package var description: String { "\(path): \(message)" }
}

extension PriceBook {
    /// The user's price file inside the data directory (written by `prices import`, editable by hand).
    package static func userFile(dataDir: String) -> String { dataDir + "/prices.json" }

    /// Shipped prices, then `<data>/prices.json` if present, then `extraFile` if given, then the
    /// config file's `prices.overrides`.
    package static func load(dataDir: String, extraFile: String? = nil, overrides: [String: ModelPrice] = [:]) throws -> PriceBook {
        var book = PriceBook.shipped
        let user = userFile(dataDir: dataDir)
        if FileManager.default.fileExists(atPath: user) { try book.merge(file: user) }
        if let extraFile { try book.merge(file: extraFile) }
        for (key, price) in overrides { book.set(key, price) }
        return book
    }

    /// Merges a Home Base price file: `{"as_of": "...", "prices": {"provider/model": {"input": 3, "output": 15,
    /// "cache_read": 0.3, "cache_write": 3.75}}}` in USD per million tokens.
    package mutating func merge(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PriceFileError(path: path, message: "cannot read the file")
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw PriceFileError(path: path, message: "not valid JSON (\(error.localizedDescription)); fix the file or remove it")
        }
        guard let root = object as? [String: Any], let prices = root["prices"] as? [String: Any] else {
            throw PriceFileError(
                path: path, message: "expected an object with a \"prices\" object of \"provider/model\": {input, output, cache_read, cache_write}")
        }
        for (key, value) in prices {
            guard let fields = value as? [String: Any], let input = PriceBook.number(fields["input"]),
                let output = PriceBook.number(fields["output"])
            else {
                throw PriceFileError(path: path, message: "price \"\(key)\" needs numeric \"input\" and \"output\" (USD per million tokens)")
            }
            let price = ModelPrice(
                input: input, output: output, cacheRead: PriceBook.number(fields["cache_read"]),
                cacheWrite: PriceBook.number(fields["cache_write"]))
            if let problem = price.rangeProblem {
                throw PriceFileError(path: path, message: "price \"\(key)\": \(problem)")
            }
            set(key, price)
        }
        if let asOf = root["as_of"] as? String { self.asOf = max(self.asOf, asOf) }
    }

    /// Reads LiteLLM's `model_prices_and_context_window.json` (USD per token) into per-million prices.
    package static func importLiteLLM(file path: String) throws -> [String: ModelPrice] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PriceFileError(path: path, message: "cannot read the file")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw PriceFileError(path: path, message: "not a JSON object; expected LiteLLM's model_prices_and_context_window.json")
        }
        var result: [String: ModelPrice] = [:]
        for (key, value) in root where key != "sample_spec" {
            guard let fields = value as? [String: Any],
                let input = number(fields["input_cost_per_token"]),
                let output = number(fields["output_cost_per_token"]) ?? (fields["mode"] as? String == "embedding" ? 0 : nil)
            else { continue }
            let perMillion = 1_000_000.0
            let price = ModelPrice(
                input: input * perMillion, output: output * perMillion,
                cacheRead: number(fields["cache_read_input_token_cost"]).map { $0 * perMillion },
                cacheWrite: number(fields["cache_creation_input_token_cost"]).map { $0 * perMillion })
            if let problem = price.rangeProblem { throw PriceFileError(path: path, message: "\"\(key)\": \(problem)") }
            result[key] = price
        }
        if result.isEmpty {
            throw PriceFileError(path: path, message: "no model with input_cost_per_token/output_cost_per_token found")
        }
        return result
    }

    /// Writes `prices` (merged over what the file already holds) as a Home Base price file, atomically.
    package static func writeUserFile(_ prices: [String: ModelPrice], to path: String, asOf: String) throws {
        var merged: [String: Any] = [:]
        if let data = FileManager.default.contents(atPath: path),
            let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let existing = root["prices"] as? [String: Any]
        {
            merged = existing
        }
        for (key, price) in prices {
            var fields: [String: Any] = ["input": price.input, "output": price.output]
            if let v = price.cacheRead { fields["cache_read"] = v }
            if let v = price.cacheWrite { fields["cache_write"] = v }
            merged[key] = fields
        }
        let root: [String: Any] = ["as_of": asOf, "prices": merged]
        let data = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted])
        try AtomicFile.write(data, to: path)
    }

    static func number(_ value: Any?) -> Double? {
        // On Linux every NSNumber holding 0 or 1 also casts to Bool, so `is Bool` refused prices of
        // exactly $0 and $1; JSON's true and false are the NSNumbers of Objective-C type "c".
        if let n = value as? NSNumber, String(cString: n.objCType) != "c" { return n.doubleValue }
        if let s = value as? String { return Double(s) }
        return nil
    }
}
