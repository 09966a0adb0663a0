import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import Analytics
@testable import TestSupport

/// Issue 25, secrets-manager inventories: the CLI JSON of both managers read field by field, and
/// the rotation audit over kept imports, every day count worked out by hand in the comments.
@Suite struct CredentialAuditTests {
    static func file(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: SecretsManagerServers.fixtures + "/" + name)) }
    static func day(_ text: String) -> Int64 { UTCDate.parseDate(text)! * 86_400_000_000 }

    @Test func awsListSecretsFields() throws {
        let page = try InventoryParser.aws(try Self.file("aws-list-secrets-1.json"), origin: "list.json")
        #expect(page.nextToken == nil)
        #expect(page.entries.map(\.name) == ["prod/openrouter-key", "prod/anthropic-key", "old/openai-key"])
        let key = page.entries[0]
        #expect(key.arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/openrouter-key-AbCdEf")
        #expect(key.rotationEnabled == true && key.rotateAfterDays == 30 && key.versions == 2)
        #expect(key.tags == ["team": "agents", "provider": "openrouter"])
        // 2026-03-05T09:30:00.25Z; CreatedDate as ISO text, and as epoch seconds (1767225600 = 2026-01-01T00:00Z).
        #expect(key.rotations == [Self.day("2026-03-05") + (9 * 3600 + 30 * 60) * 1_000_000 + 250_000])
        #expect(key.created == Self.day("2026-01-01") + 12 * 3_600_000_000)
        #expect(key.lastAccessed == Self.day("2026-03-06") && key.nextRotation == Self.day("2026-04-05") - 1_000_000)
        #expect(page.entries[2].created == Self.day("2026-01-01") && page.entries[2].rotationEnabled == false)
        #expect(page.entries[1].rotationEnabled == nil && page.entries[1].rotations.isEmpty && page.entries[1].tags.isEmpty)
    }

    @Test func vaultMetadataFields() throws {
        let entries = try InventoryParser.vaultFile(try Self.file("vault-metadata.json"), path: nil, mount: "secret", origin: "meta.json")
        #expect(entries.map(\.name) == ["agents/discord", "agents/telegram-bot"])
        let bot = entries[1]
        #expect(bot.arn == "secret/agents/telegram-bot" && bot.versions == 3 && bot.rotateAfterDays == 45)
        #expect(bot.tags == ["owner": "ops", "rotate_after_days": "45"])
        // Versions 2 and 3 are rotations; version 1 (nanosecond fraction) is the creation.
        #expect(bot.rotations == [Self.day("2026-02-15") + 10 * 3_600_000_000, Self.day("2026-04-10") + (7 * 3600 + 15 * 60) * 1_000_000 + 500_000])
        #expect(bot.created == Self.day("2026-01-10") + 8 * 3_600_000_000 + 123_456)
        // One document as the CLI prints it needs its path; a bad interval is refused with the fix.
        let single = try JSONSerialization.data(withJSONObject: ["data": ["created_time": "2026-01-01T00:00:00Z", "current_version": 1]])
        #expect(throws: InventoryError.self) { try InventoryParser.vaultFile(single, path: nil, mount: "secret", origin: "one.json") }
        #expect(try InventoryParser.vaultFile(single, path: "a/b", mount: "kv", origin: "one.json").first?.arn == "kv/a/b")
        let bad = try JSONSerialization.data(withJSONObject: ["data": ["custom_metadata": ["rotate_after_days": "soon"]]])
        do {
            _ = try InventoryParser.vaultFile(bad, path: "x", mount: "secret", origin: "bad.json")
            Issue.record("accepted rotate_after_days \"soon\"")
        } catch let error as InventoryError {
            #expect(error.description.contains("bad.json") && error.description.contains("rotate_after_days"))
        }
        #expect(throws: InventoryError.self) { try InventoryParser.aws(Data("{\"Secrets\": []}".utf8), origin: "x.json") }
    }

    /// Imports: AWS on 04-01 (3 secrets) and 05-01 (old/openai-key gone), Vault on 05-15; judged on 05-20.
    static func history() throws -> [InventoryStore.Import] {
        [
            InventoryStore.Import(
                id: 1, source: "aws", origin: "1", importedAt: Self.day("2026-04-01"),
                entries: try InventoryParser.aws(try Self.file("aws-list-secrets-1.json"), origin: "1").entries),
            InventoryStore.Import(
                id: 2, source: "aws", origin: "2", importedAt: Self.day("2026-05-01"),
                entries: try InventoryParser.aws(try Self.file("aws-list-secrets-2.json"), origin: "2").entries),
            InventoryStore.Import(
                id: 3, source: "vault", origin: "3", importedAt: Self.day("2026-05-15"),
                entries: try InventoryParser.vaultFile(try Self.file("vault-metadata.json"), path: nil, mount: "secret", origin: "3"))
        ]
    }

    @Test func rotationAuditByHand() throws {
        let audit = CredentialAudit.audit(try Self.history(), now: Self.day("2026-05-20") + 3_600_000_000, keys: [])
        #expect(audit.imports.map(\.entries) == [3, 2, 2])
        #expect(
            audit.keys.map { "\($0.status) \($0.source) \($0.name)" } == [
                "missing aws old/openai-key", "overdue aws prod/openrouter-key", "never_rotated aws prod/anthropic-key",
                "late vault agents/telegram-bot", "ok vault agents/discord"
            ])
        let missing = audit.keys[0]
        #expect(!missing.in_last_import && missing.last_seen == "2026-04-01" && missing.never_rotated && missing.rotation_enabled == false)
        // openrouter: created 01-01, every 30 days. 1st rotation 03-05 was due 01-31: 28 + 5 = 33 days late;
        // 2nd (seen by the 05-01 import) 04-10 was due 03-05 + 30 = 04-04: 6 days late; next due 05-10, 10 days overdue on 05-20.
        let openrouter = audit.keys[1]
        #expect(openrouter.rotations == [.init(date: "2026-03-05", days_late: 33), .init(date: "2026-04-10", days_late: 6)])
        #expect(openrouter.due == "2026-05-10" && openrouter.days_overdue == 10 && openrouter.last_rotated == "2026-04-10")
        #expect(openrouter.first_seen == "2026-04-01" && openrouter.last_seen == "2026-05-01")
        // anthropic: no rule anywhere, never rotated.
        #expect(audit.keys[2].rotate_after_days == nil && audit.keys[2].due == nil && audit.keys[2].rotations.isEmpty)
        // telegram-bot: created 01-10, every 45 days: v2 02-15 due 02-24 (on time), v3 04-10 due 02-15 + 45 = 04-01: 9 late;
        // next due 04-10 + 45 = 05-25, not yet overdue.
        let bot = audit.keys[3]
        #expect(bot.rotations == [.init(date: "2026-02-15", days_late: 0), .init(date: "2026-04-10", days_late: 9)])
        #expect(bot.due == "2026-05-25" && bot.days_overdue == nil)
        // discord: created 04-01, every 60 days: v2 05-01 due 05-31 (on time), next due 06-30.
        #expect(audit.keys[4].rotations == [.init(date: "2026-05-01", days_late: 0)] && audit.keys[4].due == "2026-06-30")
        // Alerts: the missing secret and the overdue one (critical); late and never-rotated are report lines.
        #expect(audit.alerts.map(\.key) == ["credential:aws:old/openai-key:missing", "credential:aws:prod/openrouter-key:overdue"])
        #expect(audit.alerts.map(\.severity) == ["warning", "critical"])
        #expect(audit.alerts[1].title == "aws secret prod/openrouter-key: rotation 10 days overdue")
    }

    @Test func configIntervalAppliesWhenTheManagerHasNone() throws {
        // The config's anthropic-key rotates every 100 days: created 02-01, due 05-12, 8 days overdue on 05-20.
        var key = HomeBaseConfig.Credential(keyID: "anthropic-key", provider: "anthropic", created: "2026-02-01")
        key.rotateAfterDays = 100
        let audit = CredentialAudit.audit(try Self.history(), now: Self.day("2026-05-20"), keys: [key])
        let row = try #require(audit.keys.first { $0.name == "prod/anthropic-key" })
        #expect(row.rotate_after_days == 100 && row.due == "2026-05-12" && row.days_overdue == 8 && row.status == "overdue")
    }

    @Test func importsAreKeptInTheCatalogAndReadBack() throws {
        let dir = TemporaryDirectory("inventory-store")
        defer { dir.remove() }
        #expect(try InventoryStore.history(dataDir: dir.path).isEmpty)
        #expect(try CredentialAudit.load(dataDir: dir.path, now: 0, keys: []) == nil)
        let history = try Self.history()
        let store = try InventoryStore(dataDir: dir.path)
        for item in history { try store.save(source: item.source, origin: item.origin, at: item.importedAt, entries: item.entries) }
        let read = try InventoryStore.history(dataDir: dir.path)
        #expect(read.map(\.id) == [1, 2, 3] && read.map(\.origin) == ["1", "2", "3"])
        // Entries come back sorted by name; every field survives.
        for (a, b) in zip(read, history) { #expect(a.entries == b.entries.sorted { $0.name < $1.name }) }
        let now = Self.day("2026-05-20")
        #expect(try CredentialAudit.load(dataDir: dir.path, now: now, keys: []) == CredentialAudit.audit(history, now: now, keys: []))
    }
}
