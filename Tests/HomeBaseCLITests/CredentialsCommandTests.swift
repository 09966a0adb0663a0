import Foundation
import Testing
@testable import HomeBaseCore
@testable import Analytics
@testable import ObjectStore
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// Issue 25 through `homebase credentials`: imports from the CLIs' JSON and from the two HTTP APIs
/// (moto's Secrets Manager with signatures checked; a Vault stand-in), each server recording every
/// request so the tests can show that no secret value was ever asked for, and the token never printed.
@Suite(.serialized) struct CredentialsCommandTests {
    static func day(_ text: String) -> Int64 { UTCDate.parseDate(text)! * 86_400_000_000 }

    static func run(_ arguments: [String], at micros: Int64, environment: [String: String] = [:]) -> (ExitCode, String) {
        let console = Console.capturing()
        let command = CredentialsCommand(environment: environment, now: { micros })
        do {
            let code = try command.run(arguments, console: console)
            return (code, console.capturedOut + console.capturedErr)
        } catch {
            return (error is UsageError ? .usage : .failure, console.capturedOut + console.capturedErr + "\(error)")
        }
    }

    @Test func importFromCLIJSONThenAudit() throws {
        let dir = TemporaryDirectory("credentials-cli")
        defer { dir.remove() }
        let data = dir.file("data"), fixtures = SecretsManagerServers.fixtures
        var (code, out) = Self.run(
            ["import", "aws", "--from-json", fixtures + "/aws-list-secrets-1.json", "--data", data], at: Self.day("2026-04-01"))
        #expect(code == .success && out.contains("imported 3 aws secrets (metadata only)") && out.contains("as import 1"))
        (code, _) = Self.run(["import", "aws", "--from-json", fixtures + "/aws-list-secrets-2.json", "--data", data], at: Self.day("2026-05-01"))
        #expect(code == .success)
        (code, out) = Self.run(["import", "vault", "--from-json", fixtures + "/vault-metadata.json", "--data", data], at: Self.day("2026-05-15"))
        #expect(code == .success && out.contains("imported 2 vault secrets"))
        // Exit 3: something to act on (a missing and an overdue secret). Figures as in CredentialAuditTests.
        (code, out) = Self.run(["audit", "--data", data], at: Self.day("2026-05-20"))
        #expect(code == .warnings)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first == "3 imports, 5 secrets; last: vault at 2026-05-15T00:00:00.000000Z")
        #expect(lines.contains("missing\taws\told/openai-key\tnever rotated; last seen 2026-04-01"))
        #expect(
            lines.contains(
                "overdue\taws\tprod/openrouter-key\trotated 2026-03-05 (33 days late), 2026-04-10 (6 days late); due 2026-05-10 (10 days overdue)"))
        #expect(lines.contains("late\tvault\tagents/telegram-bot\trotated 2026-02-15, 2026-04-10 (9 days late); due 2026-05-25"))
        (code, out) = Self.run(["audit", "--data", data, "--format", "json"], at: Self.day("2026-05-20"))
        let decoded = try JSONDecoder().decode(CredentialAudit.self, from: Data(out.utf8))
        #expect(decoded.keys.count == 5 && decoded.keys[1].days_overdue == 10)
        // Bad input: a clear message naming the file; nothing is imported.
        try Data("{\"Secrets\": 1}".utf8).write(to: URL(fileURLWithPath: dir.file("bad.json")))
        (code, out) = Self.run(["import", "aws", "--from-json", dir.file("bad.json"), "--data", data], at: Self.day("2026-05-21"))
        #expect(code == .failure && out.contains(dir.file("bad.json")) && out.contains("list-secrets"))
        #expect(try InventoryStore.history(dataDir: data).count == 3)
        (code, _) = Self.run(["import", "gcp", "--data", data], at: 0)
        #expect(code == .usage)
        (code, out) = Self.run(["import", "vault", "--data", data], at: 0, environment: [:])
        #expect(code == .failure && out.contains("VAULT_ADDR"))
    }

    @Test func awsOverHTTPListsMetadataAndNeverReadsAValue() throws {
        let moto = try SecretsManagerServers.Moto()
        let dir = TemporaryDirectory("credentials-aws")
        defer { dir.remove() }
        let (code, out) = Self.run(["import", "aws", "--data", dir.path], at: Self.day("2026-05-01"), environment: moto.environment)
        #expect(code == .success && out.contains("imported 2 aws secrets"), "\(out)")
        let entries = try #require(try InventoryStore.history(dataDir: dir.path).last?.entries)
        #expect(entries.map(\.name) == ["prod/anthropic-key", "prod/openrouter-key"])
        let rotated = entries[1]
        #expect(
            rotated.rotationEnabled == true && rotated.rotateAfterDays == 30 && rotated.rotations.count == 1 && rotated.tags == ["team": "agents"])
        #expect(rotated.arn?.hasPrefix("arn:aws:secretsmanager:us-east-1:") == true && rotated.created != nil)
        #expect(entries[0].rotationEnabled == nil && entries[0].rotations.isEmpty)
        // The server's own record: ListSecrets only (signed, or moto would have refused it), never a value.
        let requests = moto.requests
        #expect(!requests.isEmpty && requests.allSatisfy { $0.method == "POST" && $0.target == "secretsmanager.ListSecrets" })
        #expect(!requests.contains { $0.body.contains("GetSecretValue") || $0.target?.contains("GetSecretValue") == true })
        // Neither the secret access key nor a secret value is printed or stored.
        let catalog = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/catalog.sqlite"))
        for needle in [moto.secret, "VALUE-never-read"] {
            #expect(!out.contains(needle))
            #expect(catalog.range(of: Data(needle.utf8)) == nil)
        }
        // A wrong secret: moto refuses the signature; the message says what to check and hides the secret.
        var environment = moto.environment
        environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-0123456789"
        let (failed, message) = Self.run(["import", "aws", "--data", dir.path], at: Self.day("2026-05-02"), environment: environment)
        #expect(failed == .failure && message.contains("HTTP 403") && !message.contains("wrong-secret-0123456789"))
        #expect(try InventoryStore.history(dataDir: dir.path).count == 1)
    }

    @Test func vaultOverHTTPListsThenReadsMetadataOnly() throws {
        let token = "hvs.TEST-TOKEN-5f1e2d3c4b5a"
        let vault = try SecretsManagerServers.Vault(token: token)
        let dir = TemporaryDirectory("credentials-vault")
        defer { dir.remove() }
        let environment = ["VAULT_ADDR": vault.address, "VAULT_TOKEN": token]
        let (code, out) = Self.run(["import", "vault", "--data", dir.path], at: Self.day("2026-05-15"), environment: environment)
        #expect(code == .success && out.contains("imported 2 vault secrets"), "\(out)")
        // The same entries as the CLI JSON of the same documents.
        let fromJSON = try InventoryParser.vaultFile(
            try Data(contentsOf: URL(fileURLWithPath: SecretsManagerServers.fixtures + "/vault-metadata.json")), path: nil, mount: "secret",
            origin: "f")
        #expect(try InventoryStore.history(dataDir: dir.path).last?.entries == fromJSON)
        // LIST the root and the folder, then GET each secret's metadata; never /data/; the token on every request.
        let requests = vault.requests
        #expect(
            requests.map { "\($0.method) \($0.path)" } == [
                "GET /v1/secret/metadata/?list=true", "GET /v1/secret/metadata/agents/?list=true", "GET /v1/secret/metadata/agents/discord",
                "GET /v1/secret/metadata/agents/telegram-bot"
            ])
        #expect(requests.allSatisfy { $0.headers["X-Vault-Token"] == token && !$0.path.contains("/data/") })
        // The token is never printed nor stored.
        let catalog = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/catalog.sqlite"))
        #expect(!out.contains(token) && catalog.range(of: Data(token.utf8)) == nil)
        // A wrong token: Vault's 403 is reported with the fix, without either token.
        let (failed, message) = Self.run(
            ["import", "vault", "--data", dir.path], at: Self.day("2026-05-16"),
            environment: ["VAULT_ADDR": vault.address, "VAULT_TOKEN": "hvs.WRONG-1234"])
        #expect(failed == .failure && message.contains("HTTP 403") && message.contains("VAULT_TOKEN"))
        #expect(!message.contains("hvs.WRONG-1234") && !message.contains(token))
        #expect(
            String(describing: try VaultMetadataLister(environment: environment, mount: "secret", transport: URLSessionTransportStub())).contains(
                "<redacted>"))
    }
}

/// A transport that is never called (for describing a lister).
struct URLSessionTransportStub: HTTPTransport {
    func send(_ request: HTTPRequest, timeoutSeconds: Double, sink: ((Data) throws -> Void)?) throws -> HTTPResponse {
        HTTPResponse(status: 500, headers: [:], body: Data())
    }
}
