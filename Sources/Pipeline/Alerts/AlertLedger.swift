import Foundation
import HomeBaseCore
import SQLiteStore
import Lake
import Analytics
import OnCall

/// What was already delivered, per channel, kept in the catalog's `alert_state` table: an alert is
/// due on a channel until one delivery there succeeded; once it stops holding, each channel that
/// had it delivered is due one resolve (retried next run until it succeeds), then it is forgotten.
///
/// A row's value is JSON `{"status", "opened_us", "rule", "severity", "title"}` with status
/// `sent`, `pending` (trigger not yet delivered) or `resolve_pending` (resolve not yet delivered);
/// rows written before resolves existed hold the bare status.
package struct AlertLedger {
    let database: SQLiteDatabase

    package init(catalog: Catalog) { database = catalog.database }

    private static func rowKey(_ channel: String, _ alert: String) -> String { channel + "|" + alert }

    /// One row of the ledger.
    package struct Entry: Sendable, Equatable {
        package var channel: String
        package var alertKey: String
        package var status: String
        package var openedMicros: Int64?
        package var rule: String
        package var severity: String
        package var title: String

        /// The alert as a resolve note needs it.
        package var onCallAlert: OnCallAlert {
            OnCallAlert(key: alertKey, rule: rule, severity: severity, title: title, detail: "", openedMicros: openedMicros)
        }
    }

    static func encode(status: String, opened: Int64?, alert: Alert?, previous: Entry?) -> String {
        var fields = [#""status":"# + JSONQuote.quote(status)]
        if let opened = opened ?? previous?.openedMicros { fields.append(#""opened_us":\#(opened)"#) }
        fields.append(#""rule":"# + JSONQuote.quote(alert?.rule ?? previous?.rule ?? ""))
        fields.append(#""severity":"# + JSONQuote.quote(alert?.severity ?? previous?.severity ?? ""))
        fields.append(#""title":"# + JSONQuote.quote(alert?.title ?? previous?.title ?? ""))
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func decode(rowKey: String, value: String) -> Entry? {
        guard let bar = rowKey.firstIndex(of: "|") else { return nil }
        var entry = Entry(
            channel: String(rowKey[..<bar]), alertKey: String(rowKey[rowKey.index(after: bar)...]), status: value,
            openedMicros: nil, rule: "", severity: "", title: "")
        if value.hasPrefix("{"), let json = try? JSONValue.parse(value) {
            entry.status = json["status"]?.stringValue ?? "pending"
            entry.openedMicros = json["opened_us"]?.doubleValue.map { Int64($0) }
            entry.rule = json["rule"]?.stringValue ?? ""
            entry.severity = json["severity"]?.stringValue ?? ""
            entry.title = json["title"]?.stringValue ?? ""
        }
        if entry.title.isEmpty { entry.title = entry.alertKey }
        return entry
    }

    /// Every row.
    package func entries() throws -> [Entry] {
        let rows = try database.prepare("SELECT key, value FROM alert_state")
        var out: [Entry] = []
        while try rows.step() { if let entry = Self.decode(rowKey: rows.text(0), value: rows.text(1)) { out.append(entry) } }
        return out
    }

    private func entry(_ channel: String, _ alertKey: String) throws -> Entry? {
        let statement = try database.prepare("SELECT value FROM alert_state WHERE key = ?")
        try statement.bind([.text(Self.rowKey(channel, alertKey))])
        guard try statement.step() else { return nil }
        return Self.decode(rowKey: Self.rowKey(channel, alertKey), value: statement.text(0))
    }

    /// The alerts of `current` not yet delivered on `channel`.
    package func due(_ current: [Alert], channel: String) throws -> [Alert] {
        try current.filter { try entry(channel, $0.key)?.status != "sent" }
    }

    /// Records the outcome of one delivery attempt: `sent`, or `pending` to retry next run. The
    /// first successful delivery's time is kept as when the alert opened.
    package func record(_ alerts: [Alert], channel: String, delivered: Bool, nowMicros: Int64) throws {
        let previous = try alerts.map { try entry(channel, $0.key) }
        try database.transaction {
            let statement = try database.prepare("INSERT OR REPLACE INTO alert_state(key, value, updated_us) VALUES(?, ?, ?)")
            for (alert, before) in zip(alerts, previous) {
                let opened = before?.openedMicros ?? (delivered ? nowMicros : nil)
                let value = Self.encode(status: delivered ? "sent" : "pending", opened: opened, alert: alert, previous: before)
                try statement.run([.text(Self.rowKey(channel, alert.key)), .text(value), .int(nowMicros)])
            }
        }
    }

    /// Per channel of `channels`, the alerts that were delivered there and no longer hold (their
    /// resolve is due). Rows of alerts that stopped holding before any delivery succeeded, of
    /// events (`Alert.isEvent`: nothing to resolve) and of channels no longer configured are forgotten.
    package func resolving(allBut current: [Alert], channels: [String]) throws -> [String: [Entry]] {
        let live = Set(current.map(\.key))
        var due: [String: [Entry]] = [:]
        var forget: [String] = []
        for entry in try entries() where !live.contains(entry.alertKey) {
            if channels.contains(entry.channel) && (entry.status == "sent" || entry.status == "resolve_pending")
                && !Alert.isEvent(key: entry.alertKey)
            {
                due[entry.channel, default: []].append(entry)
            } else {
                forget.append(Self.rowKey(entry.channel, entry.alertKey))
            }
        }
        try delete(forget)
        return due.mapValues { $0.sorted { $0.alertKey < $1.alertKey } }
    }

    /// The outcome of resolving `entries` on their channel: forgotten when delivered (so the alert
    /// is sent again if it comes back), else kept as `resolve_pending` for the next run.
    package func recordResolve(_ entries: [Entry], delivered: Bool, nowMicros: Int64) throws {
        if delivered { return try delete(entries.map { Self.rowKey($0.channel, $0.alertKey) }) }
        try database.transaction {
            let statement = try database.prepare("INSERT OR REPLACE INTO alert_state(key, value, updated_us) VALUES(?, ?, ?)")
            for entry in entries {
                let value = Self.encode(status: "resolve_pending", opened: entry.openedMicros, alert: nil, previous: entry)
                try statement.run([.text(Self.rowKey(entry.channel, entry.alertKey)), .text(value), .int(nowMicros)])
            }
        }
    }

    /// Forgets every alert that no longer holds, so it is sent again if it comes back (no resolves).
    package func clear(allBut current: [Alert]) throws {
        let live = Set(current.map(\.key))
        try delete(try entries().filter { !live.contains($0.alertKey) }.map { Self.rowKey($0.channel, $0.alertKey) })
    }

    private func delete(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try database.transaction {
            let delete = try database.prepare("DELETE FROM alert_state WHERE key = ?")
            for key in keys { try delete.run([.text(key)]) }
        }
    }
}
