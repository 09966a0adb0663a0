import Foundation
import SQLiteStore

/// `homebase-bench`: the synthetic inputs `make bench` times, kept out of the product.
///   homebase-bench parquet --rows N --out FILE     write and read a `requests`-shaped Parquet file
///   homebase-bench lake --out DIR --rows N --days D   a committed lake of N calls over D days
let usage = "usage: homebase-bench parquet --rows N --out FILE | lake --out DIR [--rows N] [--days D]"
let arguments = Array(CommandLine.arguments.dropFirst())
func value(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
func positive(_ name: String, default fallback: Int) -> Int {
    guard let text = value(name) else { return fallback }
    guard let number = Int(text), number > 0 else {
        FileHandle.standardError.write(Data("homebase-bench: --\(name) must be a positive integer, got '\(text)'\n".utf8))
        exit(2)
    }
    return number
}
do {
    switch arguments.first {
    case "parquet":
        guard let out = value("out") else { throw BenchUsage() }
        let result = try RequestsBenchmark.run(rows: positive("rows", default: 1_000_000), path: out)
        print("rows=\(result.rows)")
        print("plain_bytes=\(result.plainBytes)")
        print("file_bytes=\(result.fileBytes)")
        print("write_seconds=\(result.writeSeconds)")
        print("read_seconds=\(result.readSeconds)")
    case "lake":
        guard let out = value("out") else { throw BenchUsage() }
        let days = positive("days", default: 100)
        let written = try BenchLake.write(dataDir: out, rows: positive("rows", default: 10_000_000), days: days)
        print("wrote \(written) rows in \(days) daily parts to \(out)")
    default:
        throw BenchUsage()
    }
} catch is BenchUsage {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("homebase-bench: \(error)\n".utf8))
    exit(1)
}

struct BenchUsage: Error {}
