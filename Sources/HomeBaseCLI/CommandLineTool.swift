import HomeBaseCore
import SQLiteStore
import Pipeline
/// The `homebase` entry point: dispatches to commands and maps errors to exit codes.
package enum CommandLineTool {
    package static let version = Product.version

    /// All commands, in the order `--help` lists them. Each is made only when it runs (or for
    /// `--help`): making all of them, with their options' defaults and their types' metadata,
    /// cost every invocation about a millisecond of its start-up.
    static let commands: [(name: String, make: @Sendable () -> any Command)] = [
        ("nightly", { NightlyCommand() }),
        ("doctor", { DoctorCommand() }),
        ("ingest", { IngestCommand() }),
        ("analyze", { AnalyzeCommand() }),
        ("report", { ReportCommand() }),
        ("sample", { SampleCommand() }),
        ("reconcile", { ReconcileCommand() }),
        ("credentials", { CredentialsCommand() }),
        ("recommend", { RecommendCommand() }),
        ("anomalies", { AnomaliesCommand() }),
        ("forecast", { ForecastCommand() }),
        ("query", { QueryCommand() }),
        ("backup", { BackupCommand() }),
        ("lake", { LakeCommand() }),
        ("prices", { PricesCommand() }),
        ("fx", { FXCommand() }),
        ("parquet", { ParquetCommand() }),
        ("generate", { GenerateCommand() })
    ]

    package static var usage: String {
        var lines = [
            "homebase \(version): batch analytics and reports for OpenClaw agent fleets",
            "",
            "usage: homebase <command> [options]   (homebase <command> --help for details)",
            "",
            "commands:"
        ]
        let all = commands.map { $0.make() }
        let width = all.map(\.name.count).max() ?? 0
        for command in all {
            lines.append("  " + command.name + String(repeating: " ", count: width + 2 - command.name.count) + command.summary)
        }
        lines += [
            "",
            "exit codes: 0 success, 1 failure, 2 usage error, 3 success with warnings, 4 locked by another run"
        ]
        return lines.joined(separator: "\n")
    }

    /// Runs `homebase` with `arguments` (without the program name) and returns the exit code.
    package static func run(_ arguments: [String], console: Console) -> ExitCode {
        guard let first = arguments.first else {
            console.err(usage)
            return .usage
        }
        switch first {
        case "--help", "-h", "help":
            console.out(usage)
            return .success
        case "--version", "-V":
            console.out("homebase \(version)")
            return .success
        default:
            break
        }
        guard let command = commands.first(where: { $0.name == first })?.make() else {
            console.err("homebase: unknown command '\(first)' (see homebase --help)")
            return .usage
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            console.out(command.help)
            return .success
        }
        do {
            return try command.run(rest, console: console)
        } catch let error as UsageError {
            console.err("homebase \(command.name): \(error.message)")
            return .usage
        } catch {
            console.err("homebase \(command.name): \(error)")
            return .failure
        }
    }
}
