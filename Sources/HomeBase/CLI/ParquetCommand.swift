/// `homebase parquet schema|meta|cat FILE`: inspection tools for lake files.
struct ParquetCommand: Command {
    let name = "parquet"
    let summary = "inspect a Parquet file: schema, meta, cat"
    let help = """
        usage: homebase parquet schema FILE
               homebase parquet meta FILE
               homebase parquet cat FILE [--columns a,b] [--format csv|jsonl] [--limit N]
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ["columns", "format", "limit"], maxPositionals: 2))
        guard parsed.positionals.count == 2 else { throw UsageError("expected a subcommand and a FILE (see --help)") }
        throw UsageError("not built yet")
    }
}
