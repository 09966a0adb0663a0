import Foundation
import Testing
@testable import Lake
@testable import Config
@testable import Analytics
@testable import Pipeline
@testable import OnCall
@testable import TestSupport

/// The ledger's resolves and the resolve notes of the e-mail and webhook channels.
@Suite struct AlertResolveTests {
    static let disk = Alert(
        rule: "disk_full", key: "disk_full:h1:data", severity: "critical", title: "Disk of data dir on h1: 2 days until full", detail: "d")
    static let gap = Alert(rule: "sampling_gap", key: "sampling_gap:h1", title: "1 sampling gap on h1", detail: "g")

    @Test func ledgerResolvesOncePerDeliveredChannel() throws {
        let dir = TemporaryDirectory("homebase-resolve")
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        let ledger = AlertLedger(catalog: catalog)
        try ledger.record([Self.disk, Self.gap], channel: "pagerduty", delivered: true, nowMicros: 1_000)
        try ledger.record([Self.disk], channel: "telegram", delivered: false, nowMicros: 1_000)
        try ledger.record([Self.disk], channel: "pagerduty", delivered: true, nowMicros: 2_000)  // re-sent: opened stays 1000
        // A row written before resolves existed: the bare status.
        try catalog.database.execute("INSERT INTO alert_state(key, value, updated_us) VALUES('email|budget:fleet:2026-11', 'sent', 5)")
        // Only the gap still holds: the disk alert resolves on pagerduty (delivered) but not on
        // telegram (never delivered there: forgotten); the legacy budget row resolves on email.
        let due = try ledger.resolving(allBut: [Self.gap], channels: ["pagerduty", "telegram", "email"])
        #expect(due.keys.sorted() == ["email", "pagerduty"])
        #expect(due["pagerduty"]?.map(\.alertKey) == ["disk_full:h1:data"])
        #expect(due["pagerduty"]?.first?.openedMicros == 1_000)
        #expect(due["pagerduty"]?.first?.title == Self.disk.title)
        #expect(due["email"]?.first?.title == "budget:fleet:2026-11")  // no title stored: the key stands in
        #expect(try ledger.entries().contains { $0.channel == "telegram" } == false)
        // A failed resolve is kept and due again; a delivered one is forgotten, so nothing is due after.
        try ledger.recordResolve(due["pagerduty"] ?? [], delivered: false, nowMicros: 3_000)
        let again = try ledger.resolving(allBut: [Self.gap], channels: ["pagerduty", "email"])
        #expect(again["pagerduty"]?.map(\.status) == ["resolve_pending"])
        #expect(again["pagerduty"]?.first?.openedMicros == 1_000)
        try ledger.recordResolve((again["pagerduty"] ?? []) + (again["email"] ?? []), delivered: true, nowMicros: 4_000)
        #expect(try ledger.resolving(allBut: [Self.gap], channels: ["pagerduty", "email"]).isEmpty)
        // An event (lines quarantined by one run) is never resolved, only forgotten.
        let quarantine = Alert(rule: "data_quality", key: "quarantine:2026-12-01", title: "3 bad lines quarantined", detail: "")
        try ledger.record([quarantine], channel: "email", delivered: true, nowMicros: 5_000)
        #expect(try ledger.resolving(allBut: [Self.gap], channels: ["pagerduty", "email"]).isEmpty)
        #expect(try ledger.due([quarantine], channel: "email") == [quarantine])
        // Back again: due as a new trigger.
        #expect(try ledger.due([Self.disk, Self.gap], channel: "pagerduty") == [Self.disk])
    }

    @Test func webhookAndEmailResolveNotes() throws {
        let dir = TemporaryDirectory("homebase-resolve-notes")
        defer { dir.remove() }
        let server = try RecordingServer([(200, "", [:])])
        var config = HomeBaseConfig()
        config.outputDir = dir.path
        config.email = HomeBaseConfig.EmailSettings(from: "hb@example.com", to: ["ops@example.com"])
        var slack = HomeBaseConfig.Webhook(url: server.url + "/slack")
        slack.format = "slack"
        config.alerts.webhooks = [slack, HomeBaseConfig.Webhook(url: server.url + "/json")]
        let opened: Int64 = 1_764_576_000_000_000  // 2025-12-01T08:00:00Z
        let now = opened + (2 * 60 + 5) * 60_000_000
        let channels = AlertChannels(config: config, today: "2025-12-01", now: { now })
        var alert = AlertChannels.onCall(Self.disk)
        alert.openedMicros = opened
        for channel in channels.names { try channels.resolve([alert], on: channel) }
        let text = "Resolved: Disk of data dir on h1: 2 days until full (open since 2025-12-01 08:00 UTC, 2 h 5 min)"
        let requests = server.requests
        #expect(requests.map(\.path) == ["/slack", "/json"])
        #expect(requests[0].json?["text"] as? String == text)
        let resolved = requests[1].json?["resolved"] as? [[String: Any]]
        #expect(resolved?.first?["key"] as? String == "disk_full:h1:data" && resolved?.first?["text"] as? String == text)
        let mail = try String(contentsOfFile: dir.path + "/alerts/resolved-2025-12-01.eml", encoding: .utf8)
        #expect(mail.contains("Subject: [Home Base] 1 alert resolved"))
        #expect(mail.contains("2 h 5 min"))
    }
}
