import HomeBaseCore
import Config

/// The rotation audit trail from every kept secrets-manager import (`homebase credentials import`):
/// per secret when it rotated and how many days late each rotation was, whether it is overdue
/// now, whether it never rotated, and whether the last import of its source still listed it.
/// Days are UTC days.
package struct CredentialAudit: Codable, Sendable, Equatable {
    package var imports: [ImportSummary] = []
    /// Most severe first (missing, overdue, never_rotated, late, ok, no_rule), then by name.
    package var keys: [Row] = []
    package init() {}

    package struct ImportSummary: Codable, Sendable, Equatable {
        package var source: String
        package var imported_at: String
        package var entries: Int
    }

    package struct Rotation: Codable, Sendable, Equatable {
        /// `YYYY-MM-DD` (UTC).
        package var date: String
        /// Days after the due day (previous rotation or creation + `rotate_after_days`); 0 when on
        /// time, nil when no interval is known.
        package var days_late: Int?
    }

    package struct Row: Codable, Sendable, Equatable {
        package var source: String
        package var name: String
        package var first_seen = ""
        package var last_seen = ""
        /// False: the last import of `source` did not list it (deleted or renamed).
        package var in_last_import = true
        package var rotation_enabled: Bool?
        /// From the secrets manager (AWS rotation rules, Vault `custom_metadata.rotate_after_days`),
        /// else the config credential with this `key_id`.
        package var rotate_after_days: Int?
        package var created: String?
        package var rotations: [Rotation] = []
        package var last_rotated: String?
        /// The next due day: last rotation (or creation) + `rotate_after_days`.
        package var due: String?
        /// Days past `due` as of the analysis' `now` (positive only).
        package var days_overdue: Int?
        package var never_rotated = false
        /// `missing`, `overdue`, `never_rotated`, `late` (the last rotation was late), `ok`, or
        /// `no_rule` (no interval known, rotated at least once).
        package var status = "ok"

        init(source: String, name: String) {
            self.source = source
            self.name = name
        }
    }

    package static let severity = ["missing", "overdue", "never_rotated", "late", "ok", "no_rule"]

    /// The audit of `dataDir`'s kept imports, judged at `now` (epoch µs); nil before the first import.
    package static func load(dataDir: String, now: Int64, keys: [HomeBaseConfig.Credential]) throws -> CredentialAudit? {
        let history = try InventoryStore.history(dataDir: dataDir)
        return history.isEmpty ? nil : audit(history, now: now, keys: keys)
    }

    /// The pure part: `history` oldest first.
    package static func audit(_ history: [InventoryStore.Import], now: Int64, keys: [HomeBaseConfig.Credential]) -> CredentialAudit {
        var result = CredentialAudit()
        result.imports = history.map {
            ImportSummary(source: $0.source, imported_at: UTCDate.isoString(micros: $0.importedAt), entries: $0.entries.count)
        }
        let lastImport = Dictionary(history.map { ($0.source, $0.id) }, uniquingKeysWith: { max($0, $1) })
        let configured = Dictionary(keys.map { ($0.keyID, $0.rotateAfterDays) }, uniquingKeysWith: { first, _ in first })
        struct Seen {
            var latest: InventoryEntry
            var firstSeen: Int64
            var lastSeen: Int64
            var lastImportID: Int64
            var rotations: Set<Int64> = []
        }
        var seen: [String: Seen] = [:]
        var order: [String] = []
        for item in history {
            for entry in item.entries {
                // Vault paths are per mount (`arn` is `<mount>/<path>`); AWS names are unique per account and region.
                let id = entry.source + "\u{0}" + (entry.source == "vault" ? entry.arn ?? entry.name : entry.name)
                if seen[id] == nil {
                    seen[id] = Seen(latest: entry, firstSeen: item.importedAt, lastSeen: item.importedAt, lastImportID: item.id)
                    order.append(id)
                }
                seen[id]!.latest = entry
                seen[id]!.lastSeen = item.importedAt
                seen[id]!.lastImportID = item.id
                seen[id]!.rotations.formUnion(entry.rotations)
            }
        }
        let today = UTCDate.dayNumber(micros: now)
        for id in order {
            guard let s = seen[id] else { continue }
            let e = s.latest
            var row = Row(source: e.source, name: e.name)
            row.first_seen = UTCDate.dateString(micros: s.firstSeen)
            row.last_seen = UTCDate.dateString(micros: s.lastSeen)
            row.in_last_import = s.lastImportID == lastImport[e.source]
            row.rotation_enabled = e.rotationEnabled
            let shortName = e.name.split(separator: "/").last.map(String.init) ?? e.name
            row.rotate_after_days = e.rotateAfterDays ?? configured[e.name] ?? configured[shortName] ?? nil
            row.created = e.created.map { UTCDate.dateString(micros: $0) }
            let createdDay = e.created.map { UTCDate.dayNumber(micros: $0) }
            // Distinct rotation days after creation, oldest first.
            let days = Set(s.rotations.map { UTCDate.dayNumber(micros: $0) }).filter { day in createdDay.map { day > $0 } ?? true }.sorted()
            var previous = createdDay
            for day in days {
                let late = row.rotate_after_days.flatMap { interval in previous.map { Int(max(0, day - ($0 + Int64(interval)))) } }
                row.rotations.append(Rotation(date: UTCDate.dateString(days: day), days_late: late))
                previous = day
            }
            row.last_rotated = days.last.map { UTCDate.dateString(days: $0) }
            row.never_rotated = days.isEmpty
            if let interval = row.rotate_after_days, let from = days.last ?? createdDay {
                let due = from + Int64(interval)
                row.due = UTCDate.dateString(days: due)
                if today > due { row.days_overdue = Int(today - due) }
            }
            row.status =
                !row.in_last_import
                ? "missing"
                : row.days_overdue != nil
                    ? "overdue"
                    : row.never_rotated
                        ? "never_rotated"
                        : (row.rotations.last?.days_late ?? 0) > 0
                            ? "late"
                            : row.rotate_after_days == nil ? "no_rule" : "ok"
            result.keys.append(row)
        }
        result.keys.sort {
            let a = severity.firstIndex(of: $0.status) ?? 0, b = severity.firstIndex(of: $1.status) ?? 0
            return (a, $0.source, $0.name) < (b, $1.source, $1.name)
        }
        return result
    }
}

extension CredentialAudit {
    /// Alerts (rule `credential`) for secrets missing from their source's last import and for
    /// secrets past their rotation due day.
    package var alerts: [Alert] {
        keys.compactMap { row in
            switch row.status {
            case "missing":
                return Alert(
                    rule: "credential", key: "credential:\(row.source):\(row.name):missing",
                    title: "\(row.source) secret \(row.name) is missing from the last import",
                    detail: "last seen \(row.last_seen); deleted or renamed? update the credential inventory")
            case "overdue":
                return Alert(
                    rule: "credential", key: "credential:\(row.source):\(row.name):overdue", severity: "critical",
                    title: "\(row.source) secret \(row.name): rotation \(row.days_overdue ?? 0) days overdue",
                    detail: "due \(row.due ?? "?") (every \(row.rotate_after_days ?? 0) days); last rotated \(row.last_rotated ?? "never")")
            default:
                return nil
            }
        }
    }
}

extension KeyUsageSection {
    /// Budget alerts (rule `budget`) for keys at or over the `alerts.budget_percent` share of their monthly limit.
    package var alerts: [Alert] {
        keys.compactMap { key in
            guard let limit = key.monthly_limit_usd, let percent = key.percent_used, key.status == "near" || key.status == "over" else {
                return nil
            }
            return Alert(
                rule: "budget", key: "budget:key:\(key.key_id):\(month)", severity: key.status == "over" ? "critical" : "warning",
                title: "Key \(key.key_id) used \(AlertEvaluator.fixed(percent, 0))% of its limit (\(key.provider), \(month))",
                detail: "$\(AlertEvaluator.fixed(key.spend_usd, 2)) of $\(AlertEvaluator.fixed(limit, 2)) (from \(key.spend_source))")
        }
    }
}

extension CredentialAudit {
    /// One line per secret: status, name, rotations with days late, due day.
    package func text() -> String {
        var lines = [
            "\(imports.count) import\(imports.count == 1 ? "" : "s"), \(keys.count) secret\(keys.count == 1 ? "" : "s"); last: "
                + (imports.last.map { "\($0.source) at \($0.imported_at)" } ?? "none")
        ]
        for row in keys {
            let rotations =
                row.rotations.isEmpty
                ? "never rotated"
                : "rotated "
                    + row.rotations.map { r in r.date + (r.days_late.map { $0 > 0 ? " (\($0) days late)" : "" } ?? "") }.joined(separator: ", ")
            var line = "\(row.status)\t\(row.source)\t\(row.name)\t\(rotations)"
            if let due = row.due { line += "; due \(due)" + (row.days_overdue.map { " (\($0) days overdue)" } ?? "") }
            if !row.in_last_import { line += "; last seen \(row.last_seen)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
