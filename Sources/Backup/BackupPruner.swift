import HomeBaseCore
import SQLiteStore
/// Retention counts for `backup prune`: keep the newest backup of each of the N most recent
/// days, ISO weeks (Monday start) and months that have backups (UTC).
package struct PrunePolicy: Sendable, Equatable {
    package var daily: Int
    package var weekly: Int
    package var monthly: Int

    package init(daily: Int = 0, weekly: Int = 0, monthly: Int = 0) {
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
    }
}

/// Decides which backups to keep: the policy's picks, the newest verified backup, and every
/// backup a kept one references (transitively), so a kept backup always restores.
package enum BackupPruner {
    package struct Plan: Sendable, Equatable {
        /// Kept archive names with why each is kept.
        package var keep: [String: [String]]
        package var delete: [String]
    }

    /// `backups` as `BackupStore.list()` gives them; those created after `now` are kept untouched,
    /// as are archives whose manifest cannot be read (prune never deletes what it cannot judge).
    package static func plan(_ backups: [BackupInfo], policy: PrunePolicy, nowMicros: Int64) -> Plan {
        var keep: [String: [String]] = [:]
        let judged = backups.filter { $0.manifest != nil && $0.complete && $0.createdMicros <= nowMicros }
        for info in backups where !judged.contains(where: { $0.name == info.name }) {
            keep[info.name, default: []].append(info.manifest == nil ? "unreadable manifest" : info.complete ? "newer than now" : "incomplete")
        }
        let newestFirst = judged.sorted { ($0.createdMicros, $0.name) > ($1.createdMicros, $1.name) }
        func pick(_ count: Int, _ label: String, _ period: (Int64) -> Int64) {
            var periods = Set<Int64>()
            for info in newestFirst where periods.count < count {
                if periods.insert(period(UTCDate.dayNumber(micros: info.createdMicros))).inserted {
                    keep[info.name, default: []].append(label)
                }
            }
        }
        pick(policy.daily, "daily") { $0 }
        // 1970-01-01 was a Thursday; +3 makes weeks start on Monday. Floor division for negatives.
        pick(policy.weekly, "weekly") { ($0 + 3 - (($0 + 3) % 7 + 7) % 7) / 7 }
        pick(policy.monthly, "monthly") { days in
            let civil = UTCDate.civil(days: days)
            return civil.year * 12 + civil.month
        }
        if let verified = newestFirst.first(where: { $0.verifiedMicros != nil }) {
            keep[verified.name, default: []].append("newest verified")
        }
        // References: a kept backup's parts may live in an earlier archive.
        let byName = Dictionary(backups.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var queue = Array(keep.keys)
        while let name = queue.popLast() {
            for holder in byName[name]?.manifest?.references ?? [] where byName[holder] != nil {
                if keep[holder] == nil { queue.append(holder) }
                if keep[holder]?.contains("referenced by \(name)") != true { keep[holder, default: []].append("referenced by \(name)") }
            }
        }
        let delete = judged.map(\.name).filter { keep[$0] == nil }.sorted()
        return Plan(keep: keep, delete: delete)
    }
}
