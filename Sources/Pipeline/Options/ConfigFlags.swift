import Foundation
import HomeBaseCore
import Config

/// The config file plus the common keys given as flags for one-off runs (flags win).
package enum ConfigFlags {
    package static let valued = ["config", "data", "out", "backup-dir", "tz"]
    package static let repeatable = ["openclaw", "gateway-logs", "invoices"]
    package static let help = """
          --config FILE       the JSON config (default $HOMEBASE_CONFIG, then ./homebase.json;
                              without one, defaults: ~/.openclaw, ./homebase-data, UTC)
          --openclaw DIR      OpenClaw state directory (repeatable; replaces sources.openclaw)
          --gateway-logs DIR  gateway log directory (repeatable; replaces sources.gateway_logs)
          --invoices DIR      provider invoices and usage exports (repeatable; replaces sources.invoices)
          --data DIR          the lake (data_dir)
          --out DIR           where reports and alert e-mails go (output_dir)
          --backup-dir DIR    where backups go (backup.dir): a directory or s3://bucket/prefix
          --tz ZONE           IANA time zone for days (timezone)
        """

    /// The config file every command reads: `--config`, else `$HOMEBASE_CONFIG`, else `./homebase.json`;
    /// nil when there is none (the commands then use their defaults).
    package static func find(
        _ parsed: ParsedArguments, environment: [String: String] = ProcessEnvironment.current
    ) throws -> HomeBaseConfig? {
        if let file = parsed.value("config") ?? environment["HOMEBASE_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try HomeBaseConfig.load(file: file)
        }
        if FileManager.default.fileExists(atPath: "homebase.json") { return try HomeBaseConfig.load(file: "homebase.json") }
        return nil
    }

    /// The data directory of a command: `--data`, else the config's `data_dir`, else ./homebase-data.
    package static func dataDir(
        _ parsed: ParsedArguments, environment: [String: String] = ProcessEnvironment.current
    ) throws -> String {
        if let data = parsed.value("data") { return data }
        do { return try find(parsed, environment: environment)?.dataDir ?? "./homebase-data" } catch { throw UsageError("\(error)") }
    }

    /// Loads the config the flags point at and applies the flag overrides.
    package static func load(
        _ parsed: ParsedArguments, environment: [String: String] = ProcessEnvironment.current
    ) throws -> HomeBaseConfig {
        var config = try find(parsed, environment: environment) ?? HomeBaseConfig()
        if !parsed.all("openclaw").isEmpty { config.openclawDirs = parsed.all("openclaw") }
        if !parsed.all("gateway-logs").isEmpty { config.gatewayLogDirs = parsed.all("gateway-logs") }
        if !parsed.all("invoices").isEmpty { config.invoiceDirs = parsed.all("invoices") }
        if let data = parsed.value("data") { config.dataDir = data }
        if let out = parsed.value("out") { config.outputDir = out }
        if let dir = parsed.value("backup-dir") { config.backup.dir = try StoragePaths.location(dir, what: "--backup-dir").description }
        if let zone = parsed.value("tz") {
            guard TimeZone(identifier: zone) != nil else {
                throw UsageError("--tz: unknown time zone '\(zone)' (expected an IANA name such as Europe/Berlin)")
            }
            config.timeZone = zone
        }
        return config
    }
}
