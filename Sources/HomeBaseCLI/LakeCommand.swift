import Foundation
import HomeBaseCore
import SQLiteStore
import ObjectStore
import Config
import Pipeline

/// `homebase lake push s3://bucket/prefix`: mirrors the lake to object storage for other engines.
struct LakeCommand: Command {
    let name = "lake"
    let summary = "push the lake (parts, then Delta logs and catalog) to s3://bucket/prefix"
    let help = """
        usage: homebase lake push [s3://bucket/prefix] [--data DIR] [--config FILE] [--delete-stale]

        Uploads the parts that are missing or changed remotely, then the table metadata: every
        _delta_log/ file and a consistent copy of catalog.sqlite (SQLite online backup), so the
        remote never shows a snapshot whose parts are not all there. Running it again moves
        nothing. --delete-stale removes remote objects under the prefix the lake no longer has.
        Credentials and endpoint: config backup.s3, else the AWS_* variables (docs/s3.md). The
        location defaults to the config's lake_mirror, --data to its data_dir.

        exit codes: 0 ok, 1 failure (S3 or file errors), 2 usage (including a location that is
        not s3://)
        """

    var environment: [String: String] = ProcessEnvironment.current
    var s3Settings: S3Settings?

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments, spec: OptionSpec(valued: ["data", "config"], switches: ["delete-stale"], maxPositionals: 2))
        guard parsed.positionals.first == "push" else { throw UsageError("lake needs a subcommand: push s3://bucket/prefix") }
        let config = try BackupCommand.config(parsed, environment)
        guard let text = parsed.positionals.dropFirst().first ?? config?.lakeMirror else {
            throw UsageError("lake push needs a location: s3://bucket/prefix (or lake_mirror in the config)")
        }
        guard case .s3(let location) = try StoragePaths.location(text, what: "lake push") else {
            throw UsageError("lake push: '\(text)': expected s3://bucket/prefix (copy a local directory with cp or rsync)")
        }
        let store = try S3Store(location: location, settings: s3Settings ?? config?.backup.s3, environment: environment)
        let report = try LakeMirror.push(
            dataDir: parsed.value("data") ?? config?.dataDir ?? BackupCommand.defaultData, store: store, deleteStale: parsed.has("delete-stale"))
        console.out(
            "pushed \(location): \(report.uploaded.count) objects uploaded (\(report.bytesUploaded) bytes), \(report.unchanged.count) unchanged"
                + (parsed.has("delete-stale") ? ", \(report.deleted.count) stale deleted" : ""))
        return .success
    }
}
