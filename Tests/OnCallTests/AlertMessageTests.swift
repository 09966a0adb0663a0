import Foundation
import Testing
import TestSupport
@testable import OnCall

/// The "resolved" note every channel shares, checked on hand-picked times.
@Suite struct AlertMessageTests {
    static let opened: Int64 = 1_764_576_000_000_000  // 2025-12-01T08:00:00Z
    static let alert = OnCallAlert(
        key: "disk_full:h1:data", rule: "disk_full", severity: "warning",
        title: "Disk of data dir on h1: 7 days until full", detail: "", openedMicros: opened)

    @Test func resolvedText() {
        let later = Self.opened + (2 * 3600 + 5 * 60 + 30) * 1_000_000
        #expect(
            AlertMessage.resolved(Self.alert, nowMicros: later)
                == "Resolved: Disk of data dir on h1: 7 days until full (open since 2025-12-01 08:00 UTC, 2 h 5 min)")
        var unknown = Self.alert
        unknown.openedMicros = nil
        #expect(AlertMessage.resolved(unknown, nowMicros: later) == "Resolved: Disk of data dir on h1: 7 days until full")
    }

    @Test func durations() {
        #expect(AlertMessage.duration(59_000_000) == "< 1 min")
        #expect(AlertMessage.duration(42 * 60_000_000) == "42 min")
        #expect(AlertMessage.duration((3 * 1440 + 4 * 60 + 59) * 60_000_000) == "3 d 4 h")
        #expect(AlertMessage.duration(-5) == "< 1 min")
    }

    @Test func channelBodies() throws {
        let now = Self.opened + 42 * 60_000_000
        let text = "Resolved: Disk of data dir on h1: 7 days until full (open since 2025-12-01 08:00 UTC, 42 min)"
        let slack =
            try JSONSerialization.jsonObject(with: Data(AlertMessage.webhookBody(Self.alert, format: "slack", nowMicros: now).utf8))
            as? [String: String]
        #expect(slack == ["text": text])
        let discord =
            try JSONSerialization.jsonObject(with: Data(AlertMessage.webhookBody(Self.alert, format: "discord", nowMicros: now).utf8))
            as? [String: String]
        #expect(discord == ["content": text])
        let ours =
            try JSONSerialization.jsonObject(with: Data(AlertMessage.webhookBody(Self.alert, format: "json", nowMicros: now).utf8)) as? [String: Any]
        let resolved = (ours?["resolved"] as? [[String: String]])?.first
        #expect(resolved == ["key": "disk_full:h1:data", "title": Self.alert.title, "text": text])
        #expect(
            AlertMessage.telegramResolved(Self.alert, nowMicros: now)
                == "✅ Resolved: Disk of data dir on h1: 7 days until full \\(open since 2025\\-12\\-01 08:00 UTC, 42 min\\)")
    }
}
