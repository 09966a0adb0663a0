import Foundation
import SQLiteStore
import Detectors
import Pipeline

/// `homebase forecast`: a daily forecast with backtested intervals for any daily series (see docs/detectors.md).
struct ForecastCommand: Command {
    let name = "forecast"
    let summary = "forecast any daily series; --backtest shows how well each method did"
    let help = """
        usage: homebase forecast --series FILE.csv --horizon N [--backtest] [--format csv|json]

        Reads a daily timestamp,value CSV (one value per UTC day; missing days are filled from
        the same weekday a week earlier), backtests naive, seasonal naive, robust seasonal +
        drift and damped Holt-Winters over rolling origins (up to 60, steps 1..N), and forecasts
        the N days after the last one with the method of lowest MASE against seasonal naive.
        Intervals are the forecast plus quantiles of that method's own backtest errors.

          --series FILE       the input series (required)
          --horizon N         days to forecast, 1 to 366 (required)
          --backtest          also print every method's MASE (vs seasonal naive and naive),
                              sMAPE and the out-of-sample coverage of the 80 % / 95 % intervals
          --format csv|json   csv (default): date,forecast,lo80,hi80,lo95,hi95 (empty bounds
                              when the backtest had too few errors); json: the forecast and
                              its backtest figures in one document

        A bad line is reported with its file, line number and the fix (exit 1).
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ["series", "horizon", "format"], switches: ["backtest"]))
        guard let series = parsed.value("series") else { throw UsageError("--series FILE.csv is required") }
        guard let horizon = try parsed.int("horizon") else { throw UsageError("--horizon N is required") }
        guard (1...366).contains(horizon) else { throw UsageError("--horizon must be 1 to 366, got \(horizon)") }
        let format = parsed.value("format") ?? "csv"
        guard format == "csv" || format == "json" else { throw UsageError("--format must be csv or json, got '\(format)'") }
        let forecast: DailyForecast
        do {
            forecast = try Forecaster().forecast(file: series, horizon: horizon)
        } catch {
            console.err("homebase forecast: \(error)")
            return .failure
        }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            console.out(String(decoding: try encoder.encode(forecast), as: UTF8.self))
        } else {
            console.out(String(forecast.csv.dropLast()))
        }
        guard parsed.has("backtest") else { return .success }
        // With csv the table goes to standard error so standard output stays one CSV; json already carries it.
        let table = forecast.backtest?.table ?? "backtest: too short a history (\(forecast.historyDays) days) for any origin\n"
        if format == "csv" { console.err(String(table.dropLast())) }
        return .success
    }
}
