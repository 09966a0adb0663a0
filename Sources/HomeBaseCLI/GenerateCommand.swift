import Foundation
import HomeBaseCore
import SQLiteStore
import Pipeline
import Generate

/// `homebase generate --out DIR [...]`: realistic, deterministic OpenClaw data for demos,
/// tests and benchmarks (transcripts with every known trap, plus gateway logs).
struct GenerateCommand: Command {
    let name = "generate"
    let summary = "write realistic, deterministic OpenClaw transcripts and gateway logs"
    let help = """
        usage: homebase generate --out DIR [--days N] [--agents N] [--calls-per-day N] [--seed N]
                                 [--end YYYY-MM-DD] [--target-mb N] [--store jsonl|sqlite|mixed|current|current-live]
                                 [--plant-savings] [--small-files] [--bill-also DAYS:AGENTS:CALLS:SEED[:LAYOUT]]

        Writes DIR/openclaw/agents/<agentId>/sessions/... (a state directory, sessions.json included),
        DIR/gateway/openclaw-YYYY-MM-DD.log (tslog JSON lines) and DIR/generate-manifest.json (what was
        written: calls, tokens, logged cost, errors, traps). The same arguments give byte-identical files.
        Also DIR/invoices/ (OpenAI, Anthropic, OpenRouter and FOCUS-in-EUR invoices of those calls),
        DIR/fx-rates.csv (the EUR rates they need) and DIR/invoice-gaps.json (the gaps seeded in them).

          --days N           days of history ending at --end (default 30)
          --agents N         number of agents (default 3)
          --calls-per-day N  average LLM calls per agent per day, before seasonality and growth (default 40)
          --seed N           PRNG seed (default 1)
          --end YYYY-MM-DD   last day (UTC); default: today's UTC date from the clock
          --target-mb N      scale calls and tool-result sizes to about N MB of transcripts
          --small-files      with --target-mb: more calls of the usual size instead of larger tool
                             results (a real installation's shape: one file of a few KB per call
                             for each chat session, ~38k files for 1 GB)
          --store LAYOUT     jsonl (default): transcripts as sessions/*.jsonl files; sqlite: in
                             agents/<id>/agent/openclaw-agent.sqlite (transcript_events), as newer
                             OpenClaw builds keep them; mixed: migrated half-way (older sessions in
                             SQLite with their JSONL in sessions/session-sqlite-import-archive/,
                             1 in 10 still JSONL only, 1 in 10 in both, newer ones only in SQLite);
                             current: OpenClaw 2026.8+ after sessions were deleted and reset
                             (archive rows plain and zstd, published .zst files, pending rows,
                             hashed session-<sha256> names, one agent never migrated);
                             current-live: the same state before anything was archived.
                             The same seed gives the same calls whatever the layout.
          --plant-savings    add five plant-* agents, one case of each cost-saving recommendation
                             (listed in DIR/planted-savings.json; every other file is unchanged)
          --bill-also SPEC   the invoices also bill the calls of another fleet, generated in memory
                             with those --days, --agents, --calls-per-day, --seed (and --store), the
                             same --end (repeatable; samples/ bills samples/store with 30:3:4:43:current)
        """

    /// Epoch milliseconds "now"; injected so tests and demos can pin the default end date.
    let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.clock = clock
    }

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ["out", "days", "agents", "calls-per-day", "seed", "end", "target-mb", "store"],
                switches: ["plant-savings", "small-files"], repeatable: ["bill-also"]))
        guard let out = parsed.value("out"), !out.isEmpty else { throw UsageError("--out DIR is required (see --help)") }
        let endDay: Int64
        if let end = parsed.value("end") {
            guard let day = UTCDate.parseDate(end) else { throw UsageError("--end expects YYYY-MM-DD, got '\(end)'") }
            endDay = day
        } else {
            endDay = clock().floorDivided(by: 86_400_000).0
        }
        var options = GeneratorOptions(endDay: endDay)
        if let days = try parsed.int("days") { options.days = days }
        if let agents = try parsed.int("agents") { options.agents = agents }
        if let calls = try parsed.int("calls-per-day") { options.callsPerDay = calls }
        if let target = try parsed.int("target-mb") { options.targetMB = target }
        if let store = parsed.value("store") {
            guard let layout = SessionStoreLayout(rawValue: store) else {
                throw UsageError("--store must be jsonl, sqlite, mixed, current or current-live, got '\(store)'")
            }
            options.store = layout
        }
        options.plantSavings = parsed.has("plant-savings")
        options.smallFiles = parsed.has("small-files")
        if let seedText = parsed.value("seed") {
            guard let seed = UInt64(seedText) else { throw UsageError("--seed expects a non-negative integer, got '\(seedText)'") }
            options.seed = seed
        }
        guard (1...3660).contains(options.days) else { throw UsageError("--days must be between 1 and 3660") }
        guard (1...1000).contains(options.agents) else { throw UsageError("--agents must be between 1 and 1000") }
        guard (0...100_000).contains(options.callsPerDay) else { throw UsageError("--calls-per-day must be between 0 and 100000") }
        if let target = options.targetMB, !(1...100_000).contains(target) {
            throw UsageError("--target-mb must be between 1 and 100000")
        }
        for spec in parsed.all("bill-also") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let numbers = parts.prefix(4).compactMap { Int($0) }
            guard (4...5).contains(parts.count), numbers.count == 4, numbers.allSatisfy({ $0 >= 0 }), (1...3660).contains(numbers[0]),
                (1...1000).contains(numbers[1]), numbers[2] <= 100_000
            else { throw UsageError("--bill-also expects DAYS:AGENTS:CALLS:SEED[:LAYOUT], e.g. 30:3:4:43:current, got '\(spec)'") }
            var other = GeneratorOptions(days: numbers[0], agents: numbers[1], callsPerDay: numbers[2], seed: UInt64(numbers[3]), endDay: endDay)
            if parts.count == 5 {
                guard let layout = SessionStoreLayout(rawValue: parts[4]) else { throw UsageError("--bill-also: unknown layout '\(parts[4])'") }
                other.store = layout
            }
            options.billAlso.append(other)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let manifest = try OpenClawGenerator.generate(options, outDir: out)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let mb = Double(manifest.transcript_bytes) / 1_048_576
        console.out(
            "wrote \(out)/openclaw: \(manifest.calls) LLM calls in \(manifest.files.filter { $0.key != "topic" }.values.reduce(0, +)) files, "
                + "\(String(format: "%.1f", mb)) MB of transcripts, logged cost $\(String(format: "%.2f", manifest.costLoggedUSD))")
        if let places = manifest.store_sessions {
            console.out(
                "store \(options.store.rawValue): transcripts "
                    + places.sorted { $0.key < $1.key }
                    .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        console.out(
            "wrote \(out)/gateway: \(manifest.gateway_lines) log lines; manifest: \(out)/generate-manifest.json "
                + "(\(String(format: "%.1f", seconds)) s)")
        return .success
    }
}
