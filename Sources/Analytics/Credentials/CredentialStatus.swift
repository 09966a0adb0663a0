import HomeBaseCore
import Config
/// Whether one API key (from the config's credential inventory) needs attention today: expired or
/// expiring, or due for rotation by age. Used by the reports and the nightly alerts.
package struct CredentialStatus: Sendable, Equatable {
    /// Most severe first; the JSON/report spelling is the raw value.
    package enum Status: String, Sendable, CaseIterable {
        case expired, expiring
        case rotationOverdue = "rotation_overdue"
        case rotateSoon = "rotate_soon"
        case ok

        var severity: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    }

    package var keyID: String
    package var provider: String
    package var status: Status
    /// Days from today to `dueDate` (negative once past); nil when the key neither expires nor has a rotation rule.
    package var daysLeft: Int?
    /// The expiry day or the rotation due day behind `status` (for `ok`: the nearer of the two), YYYY-MM-DD.
    package var dueDate: String?
    /// Set when a date in the inventory cannot be read (the key is then checked without it).
    package var problem: String?

    package init(keyID: String, provider: String, status: Status, daysLeft: Int?, dueDate: String?, problem: String? = nil) {
        self.keyID = keyID
        self.provider = provider
        self.status = status
        self.daysLeft = daysLeft
        self.dueDate = dueDate
        self.problem = problem
    }

    /// Checks every credential against `today` (a day number). A key works through its expiry day:
    /// `expired` after it, `expiring` within `warnDays` of it. Rotation is due on created + rotate_after_days:
    /// `rotation_overdue` from that day on, `rotate_soon` within `warnDays` before it. The most severe wins.
    package static func check(_ credentials: [HomeBaseConfig.Credential], today: Int64, warnDays: Int) -> [CredentialStatus] {
        credentials.map { credential in
            var problems: [String] = []
            // (status, due day) candidates; `ok` ones keep the due day so the nearer date can be shown.
            var found: [(Status, Int64)] = []
            if let text = credential.expires {
                if let expires = UTCDate.parseDate(text) {
                    let left = expires - today
                    found.append((left < 0 ? .expired : left <= Int64(warnDays) ? .expiring : .ok, expires))
                } else {
                    problems.append("expires '\(text)' is not YYYY-MM-DD")
                }
            }
            if let days = credential.rotateAfterDays {
                if let created = UTCDate.parseDate(credential.created) {
                    let due = created + Int64(days)
                    let left = due - today
                    found.append((left <= 0 ? .rotationOverdue : left <= Int64(warnDays) ? .rotateSoon : .ok, due))
                } else {
                    problems.append("created '\(credential.created)' is not YYYY-MM-DD")
                }
            }
            let worst = found.min { ($0.0.severity, $0.1) < ($1.0.severity, $1.1) }
            return CredentialStatus(
                keyID: credential.keyID, provider: credential.provider, status: worst?.0 ?? .ok,
                daysLeft: worst.map { Int($0.1 - today) }, dueDate: worst.map { UTCDate.dateString(days: $0.1) },
                problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
    }
}
