import Foundation
import HomeBaseCore
import Config
import Analytics
import ObjectStore
import Pipeline

/// `homebase credentials`: import a secrets manager's credential inventory (metadata only, never
/// values) into the kept history, and print the rotation audit trail.
struct CredentialsCommand: Command {
    let name = "credentials"
    let summary = "import secrets-manager inventories (metadata only); rotation audit"
    let help = """
        usage: homebase credentials import aws [--from-json FILE] [--data DIR]
               homebase credentials import vault [--from-json FILE [--path PATH]] [--mount MOUNT]
                                                 [--prefix FOLDER] [--data DIR]
               homebase credentials audit [--data DIR] [--format text|json]

        import reads secret metadata (names, rotation dates, tags; never a value) and keeps it
        as one more import in the credential_inventory history (in <data>/catalog.sqlite):
          aws    the JSON of `aws secretsmanager list-secrets` (--from-json FILE), else the
                 ListSecrets API with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
                 (AWS_SESSION_TOKEN), AWS_REGION and AWS_ENDPOINT_URL_SECRETS_MANAGER
          vault  the JSON of `vault kv metadata get -format=json PATH` (--from-json FILE with
                 --path PATH, or a file {"PATH": <document>, ...}), else the KV v2 API with
                 VAULT_ADDR and VAULT_TOKEN (VAULT_NAMESPACE): LIST <mount>/metadata, then GET
                 each secret's metadata (--mount, default secret; --prefix, default all)
        audit prints per secret its rotations and how many days late each was, whether it is
        overdue, never rotated, or missing from its source's last import.

          --data DIR     the lake (default: data_dir of --config FILE, $HOMEBASE_CONFIG or
                         ./homebase.json, else ./homebase-data)
          --format       text (default) or json (audit)

        exit codes: 0 ok, 1 failure, 2 usage, 3 audit found something to act on
        """

    var environment: [String: String] = ProcessEnvironment.current
    var now: @Sendable () -> Int64 = { SystemClock.nowMicros() }
    var transport: @Sendable () -> any HTTPTransport = { HelperTransport() }

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments, spec: OptionSpec(valued: ["data", "config", "from-json", "path", "mount", "prefix", "format"], maxPositionals: 2))
        let config: HomeBaseConfig?
        do { config = try ConfigFlags.find(parsed) } catch { throw UsageError("\(error)") }
        let data = parsed.value("data") ?? config?.dataDir ?? "./homebase-data"
        switch parsed.positionals.first {
        case "import":
            guard parsed.positionals.count == 2, let source = parsed.positionals.last, ["aws", "vault"].contains(source) else {
                throw UsageError("expected: credentials import aws|vault")
            }
            let mount = parsed.value("mount") ?? "secret"
            let entries: [InventoryEntry]
            let origin: String
            if let file = parsed.value("from-json") {
                guard FileManager.default.fileExists(atPath: file) else { throw UsageError("--from-json: no file \(file)") }
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                origin = file
                entries =
                    source == "aws"
                    ? try InventoryParser.aws(bytes, origin: file).entries
                    : try InventoryParser.vaultFile(bytes, path: parsed.value("path"), mount: mount, origin: file)
            } else if source == "aws" {
                let lister = try AWSSecretsLister(environment: environment, transport: transport(), now: now)
                origin = lister.origin
                entries = try lister.listAll()
            } else {
                let lister = try VaultMetadataLister(environment: environment, mount: mount, transport: transport())
                origin = lister.address + "/v1/" + lister.mount + "/metadata/" + (parsed.value("prefix") ?? "")
                entries = try lister.listAll(prefix: parsed.value("prefix") ?? "")
            }
            let id = try InventoryStore(dataDir: data).save(source: source, origin: origin, at: now(), entries: entries)
            console.out("imported \(entries.count) \(source) secret\(entries.count == 1 ? "" : "s") (metadata only) from \(origin) as import \(id)")
            return .success
        case "audit":
            guard parsed.positionals.count == 1 else { throw UsageError("credentials audit takes no argument") }
            let format = parsed.value("format") ?? "text"
            guard ["text", "json"].contains(format) else { throw UsageError("--format must be text or json, got '\(format)'") }
            guard let audit = try CredentialAudit.load(dataDir: data, now: now(), keys: config?.credentials ?? []) else {
                console.out("no credential inventory imported yet (homebase credentials import aws|vault)")
                return .success
            }
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                console.out(String(decoding: try encoder.encode(audit), as: UTF8.self))
            } else {
                console.out(audit.text())
            }
            return audit.keys.contains { ["missing", "overdue"].contains($0.status) } ? .warnings : .success
        default:
            throw UsageError("expected a subcommand: import or audit (see --help)")
        }
    }
}
