import SQLiteStore
import Lake
import Analytics
/// What was already delivered, per channel, kept in the catalog's `alert_state` table: an alert is
/// due on a channel until one delivery there succeeded, and forgotten once it clears.
package struct AlertLedger {
    let database: SQLiteDatabase

    package init(catalog: Catalog) { database = catalog.database }

    private static func rowKey(_ channel: String, _ alert: String) -> String { channel + "|" + alert }

    /// The alerts of `current` not yet delivered on `channel`.
    package func due(_ current: [Alert], channel: String) throws -> [Alert] {
        let statement = try database.prepare("SELECT value FROM alert_state WHERE key = ?")
        return try current.filter { alert in
            try statement.bind([.text(Self.rowKey(channel, alert.key))])
            return try !statement.step() || statement.text(0) != "sent"
        }
    }

    /// Records the outcome of one delivery attempt: `sent`, or `pending` to retry next run.
    package func record(_ alerts: [Alert], channel: String, delivered: Bool, nowMicros: Int64) throws {
        try database.transaction {
            let statement = try database.prepare("INSERT OR REPLACE INTO alert_state(key, value, updated_us) VALUES(?, ?, ?)")
            for alert in alerts {
                try statement.run([.text(Self.rowKey(channel, alert.key)), .text(delivered ? "sent" : "pending"), .int(nowMicros)])
            }
        }
    }

    /// Forgets every alert that no longer holds, so it is sent again if it comes back.
    package func clear(allBut current: [Alert]) throws {
        let live = Set(current.map(\.key))
        let rows = try database.prepare("SELECT key FROM alert_state")
        var stale: [String] = []
        while try rows.step() {
            let key = rows.text(0)
            guard let bar = key.firstIndex(of: "|") else { continue }
            if !live.contains(String(key[key.index(after: bar)...])) { stale.append(key) }
        }
        try database.transaction {
            let delete = try database.prepare("DELETE FROM alert_state WHERE key = ?")
            for key in stale {
                try delete.run([.text(key)])
            }
        }
    }
}
