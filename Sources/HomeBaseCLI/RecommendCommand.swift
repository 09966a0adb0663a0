import Foundation
import HomeBaseCore
import SQLiteStore
import Analytics
import Pipeline

/// `homebase recommend`: the cost-saving recommendations of a period, as text or JSON, so a user
/// can try them before the reports show them.
struct RecommendCommand: Command {
    let name = "recommend"
    let summary = "cost-saving recommendations priced from the lake's own calls"
    let help = """
        usage: homebase recommend [--data DIR] [--from YYYY-MM-DD --to YYYY-MM-DD] [--prices FILE]
                                  [--min-saving USD] [--format text|json]

        Looks at the period's calls in the lake (default: every date it holds) and prints what to
        change, ranked by the estimated saving per 30 days: prompt caching, model right-sizing,
        retry waste, runaway sessions and idle scheduled runs. Each names the agent/model/provider,
        the evidence, the saving and its assumptions (see docs/recommendations.md).

          --data DIR         the data directory (default: data_dir of --config FILE, $HOMEBASE_CONFIG
                             or ./homebase.json, else ./homebase-data)
          --from, --to       UTC dates, inclusive (default: the lake's first and last date)
          --prices FILE      an extra price file over the shipped book and <data>/prices.json
          --min-saving USD   hide recommendations saving less per 30 days (default 1)
          --format json      one JSON array (the `recommendations` of analysis.json)

        Exit codes: 0 success (also when nothing is found), 1 failure, 2 usage error.
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ["data", "from", "to", "prices", "min-saving", "format", "config"]))
        let data = try ConfigFlags.dataDir(parsed)
        let format = parsed.value("format") ?? "text"
        guard format == "text" || format == "json" else { throw UsageError("--format expects text or json, got '\(format)'") }
        var options = RecommendationOptions()
        if let text = parsed.value("min-saving") {
            guard let floor = Double(text), floor >= 0, floor.isFinite else {
                throw UsageError("--min-saving expects a non-negative number of USD, got '\(text)'")
            }
            options.minimumMonthlySavingUSD = floor
        }
        var from = parsed.value("from"), to = parsed.value("to")
        for (flag, value) in [("--from", from), ("--to", to)] where value != nil && UTCDate.parseDate(value ?? "") == nil {
            throw UsageError("\(flag) expects YYYY-MM-DD, got '\(value ?? "")'")
        }
        if from == nil || to == nil {
            guard let span = try Recommender.dataPeriod(dataDir: data) else {
                console.out(format == "json" ? "[]" : "no calls in \(data) yet: run homebase ingest first")
                return .success
            }
            from = from ?? span.from
            to = to ?? span.to
        }
        guard let from, let to else { return .failure }
        let period: RecommendationPeriod
        do { period = try RecommendationPeriod(from: from, to: to) } catch let error as RecommendationError {
            throw UsageError(error.message)
        }
        let found = try Recommender(options: options).run(dataDir: data, from: from, to: to, priceFile: parsed.value("prices"))
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            console.out(String(decoding: try encoder.encode(found), as: UTF8.self))
        } else {
            console.out(RecommendationText.render(found, period: period, floor: options.minimumMonthlySavingUSD))
        }
        return .success
    }
}
