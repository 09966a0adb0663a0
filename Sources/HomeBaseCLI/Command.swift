import SQLiteStore
import Pipeline
/// One `homebase` subcommand: its name, help text, options, and what it does.
protocol Command: Sendable {
    /// The word after `homebase` (for nested commands, the first word).
    var name: String { get }
    /// One line for the command list.
    var summary: String { get }
    /// Full `--help` text.
    var help: String { get }
    /// Runs with the arguments after the command name.
    func run(_ arguments: [String], console: Console) throws -> ExitCode
}
