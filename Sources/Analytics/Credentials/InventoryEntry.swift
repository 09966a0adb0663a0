import Foundation
import HomeBaseCore

/// One secret's metadata as a secrets manager lists it (never its value): AWS Secrets Manager
/// `ListSecrets` or HashiCorp Vault KV v2 metadata. Times are epoch µs UTC.
package struct InventoryEntry: Sendable, Equatable {
    /// `aws` or `vault`.
    package var source: String
    /// The secret's name (AWS `Name`) or path below the mount (Vault).
    package var name: String
    /// AWS `ARN`; Vault `<mount>/<path>`.
    package var arn: String?
    package var rotationEnabled: Bool?
    /// AWS `RotationRules.AutomaticallyAfterDays`; Vault `custom_metadata.rotate_after_days`.
    package var rotateAfterDays: Int?
    package var created: Int64?
    /// AWS `LastChangedDate`; Vault `updated_time`.
    package var updated: Int64?
    package var lastAccessed: Int64?
    package var nextRotation: Int64?
    /// Rotations this import shows: AWS `LastRotatedDate`; Vault the `created_time` of every
    /// version after the oldest (writing a new version is how a KV secret is rotated).
    package var rotations: [Int64] = []
    /// AWS: version ids with stages; Vault `current_version`.
    package var versions: Int?
    /// AWS `Tags`; Vault `custom_metadata`.
    package var tags: [String: String] = [:]

    package init(source: String, name: String) {
        self.source = source
        self.name = name
    }
}

/// A metadata document that cannot be read: says which and why, with the fix.
package struct InventoryError: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// Reads what `aws secretsmanager list-secrets` and `vault kv metadata get -format=json` print
/// (and what their HTTP APIs answer, which is the same JSON).
package enum InventoryParser {
    /// `{"SecretList": [...], "NextToken": ...}` (the CLI joins pages; the API returns one page).
    /// Returns the entries and the `NextToken`, if any.
    package static func aws(_ data: Data, origin: String) throws -> (entries: [InventoryEntry], nextToken: String?) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let list = object["SecretList"] as? [[String: Any]]
        else {
            throw InventoryError(
                "\(origin): not the JSON of `aws secretsmanager list-secrets` (an object with \"SecretList\"); run `aws secretsmanager list-secrets --output json > FILE`"
            )
        }
        var entries: [InventoryEntry] = []
        for (index, item) in list.enumerated() {
            guard let name = item["Name"] as? String, !name.isEmpty else {
                throw InventoryError("\(origin): SecretList[\(index)] has no \"Name\"; is this list-secrets output?")
            }
            var entry = InventoryEntry(source: "aws", name: name)
            entry.arn = item["ARN"] as? String
            entry.rotationEnabled = item["RotationEnabled"] as? Bool
            entry.rotateAfterDays = ((item["RotationRules"] as? [String: Any])?["AutomaticallyAfterDays"] as? NSNumber)?.intValue
            entry.created = try time(item["CreatedDate"], "SecretList[\(index)].CreatedDate", origin)
            entry.updated = try time(item["LastChangedDate"], "SecretList[\(index)].LastChangedDate", origin)
            entry.lastAccessed = try time(item["LastAccessedDate"], "SecretList[\(index)].LastAccessedDate", origin)
            entry.nextRotation = try time(item["NextRotationDate"], "SecretList[\(index)].NextRotationDate", origin)
            if let rotated = try time(item["LastRotatedDate"], "SecretList[\(index)].LastRotatedDate", origin) { entry.rotations = [rotated] }
            entry.versions = (item["SecretVersionsToStages"] as? [String: Any])?.count
            for tag in item["Tags"] as? [[String: Any]] ?? [] {
                if let key = tag["Key"] as? String { entry.tags[key] = tag["Value"] as? String ?? "" }
            }
            entries.append(entry)
        }
        return (entries, object["NextToken"] as? String)
    }

    /// One `vault kv metadata get -format=json` document (`{"data": {...}}`, the API's answer too)
    /// for the secret at `path`.
    package static func vault(_ object: [String: Any], path: String, mount: String, origin: String) throws -> InventoryEntry {
        guard let data = object["data"] as? [String: Any] else {
            throw InventoryError("\(origin): \(path): not a KV v2 metadata document (no \"data\" object); use `vault kv metadata get -format=json`")
        }
        var entry = InventoryEntry(source: "vault", name: path)
        entry.arn = mount + "/" + path
        entry.created = try time(data["created_time"], "\(path).created_time", origin)
        entry.updated = try time(data["updated_time"], "\(path).updated_time", origin)
        entry.versions = (data["current_version"] as? NSNumber)?.intValue
        for (key, value) in data["custom_metadata"] as? [String: Any] ?? [:] {
            entry.tags[key] = value as? String ?? "\(value)"
        }
        if let text = entry.tags["rotate_after_days"] {
            guard let days = Int(text), days > 0 else {
                throw InventoryError("\(origin): \(path): custom_metadata.rotate_after_days is \"\(text)\"; expected a whole number of days")
            }
            entry.rotateAfterDays = days
        }
        var created: [(Int, Int64)] = []
        for (number, version) in data["versions"] as? [String: Any] ?? [:] {
            guard let n = Int(number), let version = version as? [String: Any] else { continue }
            if let at = try time(version["created_time"], "\(path).versions.\(number).created_time", origin) { created.append((n, at)) }
        }
        entry.rotations = created.sorted { $0.0 < $1.0 }.dropFirst().map(\.1)
        return entry
    }

    /// A Vault file: one metadata document (named by `path`), or an object of path → document.
    package static func vaultFile(_ data: Data, path: String?, mount: String, origin: String) throws -> [InventoryEntry] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InventoryError("\(origin): not a JSON object; save `vault kv metadata get -format=json PATH` output")
        }
        if object["data"] != nil {
            guard let path else {
                throw InventoryError(
                    "\(origin): one metadata document but no secret path (the CLI does not print it); pass --path PATH, or save {\"PATH\": <document>, …}"
                )
            }
            return [try vault(object, path: path, mount: mount, origin: origin)]
        }
        return try object.keys.sorted().map { key in
            guard let document = object[key] as? [String: Any] else {
                throw InventoryError("\(origin): \"\(key)\" is not a metadata document")
            }
            return try vault(document, path: key, mount: mount, origin: origin)
        }
    }

    /// API epoch seconds (a number), or ISO 8601 text as the CLIs print (any fraction, `Z` or offset).
    static func time(_ value: Any?, _ field: String, _ origin: String) throws -> Int64? {
        switch value {
        case nil, is NSNull: return nil
        case let number as NSNumber: return Int64((number.doubleValue * 1_000_000).rounded())
        case let text as String:
            if text.isEmpty { return nil }
            guard let micros = ISO8601Time.micros(text) else {
                throw InventoryError("\(origin): \(field) is \"\(text)\"; expected an ISO 8601 time or epoch seconds")
            }
            return micros
        default:
            throw InventoryError("\(origin): \(field) is not a time")
        }
    }
}
