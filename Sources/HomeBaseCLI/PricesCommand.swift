import Foundation
import HomeBaseCore
import SQLiteStore
import Lake
import Pipeline

/// `homebase prices`: show the price book, import LiteLLM's price table.
struct PricesCommand: Command {
    let name = "prices"
    let summary = "show the price book or import LiteLLM prices"
    let help = """
        usage: homebase prices list [--data DIR]
               homebase prices import litellm FILE [--data DIR]

        The shipped price book (USD per million tokens) is overridden by <data>/prices.json,
        which `import litellm` writes from LiteLLM's model_prices_and_context_window.json and
        which you may edit by hand: {"prices": {"provider/model": {"input": 3, "output": 15,
        "cache_read": 0.3, "cache_write": 3.75}}}. Calls whose logged cost is 0 or missing are
        priced from it; a model with no price is reported, never counted as $0.
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ["data", "config"], maxPositionals: 3))
        let data = try ConfigFlags.dataDir(parsed)
        switch parsed.positionals.first {
        case "list":
            guard parsed.positionals.count == 1 else { throw UsageError("prices list takes no argument") }
            let book = try PriceBook.load(dataDir: data)
            console.out("price book as of \(book.asOf) (USD per million tokens: input, output, cache read, cache write)")
            for (key, price) in book.entries.sorted(by: { $0.key < $1.key }) {
                console.out(
                    "\(key)\t\(price.input)\t\(price.output)\t\(price.cacheRead.map { "\($0)" } ?? "-")\t\(price.cacheWrite.map { "\($0)" } ?? "-")")
            }
            return .success
        case "import":
            guard parsed.positionals.count == 3, parsed.positionals[1] == "litellm" else {
                throw UsageError("expected: prices import litellm FILE")
            }
            let prices = try PriceBook.importLiteLLM(file: try StoragePaths.local(parsed.positionals[2], what: "FILE"))
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let target = PriceBook.userFile(dataDir: data)
            try PriceBook.writeUserFile(prices, to: target, asOf: UTCDate.dateString(micros: SystemClock.nowMicros()))
            console.out("imported \(prices.count) model prices into \(target)")
            return .success
        default:
            throw UsageError("expected a subcommand: list or import (see --help)")
        }
    }
}
