import Foundation
import HomeBaseCore
import SQLiteStore
import Lake
import Ingest
import Pipeline

/// `homebase fx`: the exchange-rate table invoices in other currencies and reports are converted with.
struct FXCommand: Command {
    let name = "fx"
    let summary = "import or list exchange rates to USD (ECB or date,currency,rate_to_usd CSV)"
    let help = """
        usage: homebase fx import FILE [--data DIR]
               homebase fx list [--data DIR]

        import reads FILE, either a CSV with the header date,currency,rate_to_usd (dollars per
        one unit of the currency, e.g. 2026-06-01,EUR,1.0842) or the ECB reference-rate CSV
        (eurofxref-hist.csv or eurofxref.csv from ecb.europa.eu: units per euro, converted to
        dollars per unit through the day's USD column), and adds the rates to the fx_rates table
        of <data>/catalog.sqlite in one transaction; a rate of the same day and currency is
        replaced. Bad lines are listed with file, line and fix, counted, and not imported (exit 3).
        Invoice lines that waited for a rate are converted by the next homebase ingest.
        list prints, per currency, the number of days and the first and last day held.

          --data DIR   the lake (default: data_dir of --config FILE, $HOMEBASE_CONFIG or
                       ./homebase.json, else ./homebase-data)

        exit codes: 0 imported, 1 failure, 2 usage, 3 some lines were bad, 4 another run holds the lock
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ["data", "config"], maxPositionals: 2))
        let data = try ConfigFlags.dataDir(parsed)
        switch parsed.positionals.first {
        case "list":
            guard parsed.positionals.count == 1 else { throw UsageError("fx list takes no argument") }
            let table = try FXRateTable.load(dataDir: data)
            if table.isEmpty { console.out("no exchange rates in \(data) (homebase fx import FILE)") }
            for line in table.summary() { console.out(line) }
            return .success
        case "import":
            guard parsed.positionals.count == 2 else { throw UsageError("expected: fx import FILE") }
            let path = try StoragePaths.local(parsed.positionals[1], what: "FILE")
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw UsageError("cannot read rate file \(path): no such file or not readable")
            }
            let result: FXRateFile.Result
            do { result = try FXRateFile.parse([UInt8](bytes), path: path) } catch { throw UsageError("\(error)") }
            for bad in result.bad { console.err("\(path):\(bad.line): \(bad.reason)") }
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let lock: RunLock
            do { lock = try RunLock(dataDir: data, command: "fx import", nowMicros: SystemClock.nowMicros()) } catch let held as RunLock.Held {
                console.err("homebase fx import: \(held)")
                return .locked
            }
            defer { withExtendedLifetime(lock) {} }
            let catalog = try Catalog(dataDir: data)
            let added = try FXRateTable.save(result.rates, database: catalog.database, nowMicros: SystemClock.nowMicros())
            let currencies = Set(result.rates.map(\.currency)).count
            console.out(
                "imported \(result.rates.count) rates (\(added) new, \(result.rates.count - added) replaced) for \(currencies) currencies "
                    + "from \(path) (\(result.format.rawValue)); \(result.bad.count) bad lines")
            return result.bad.isEmpty ? .success : .warnings
        default:
            throw UsageError("expected a subcommand: import or list (see --help)")
        }
    }
}
