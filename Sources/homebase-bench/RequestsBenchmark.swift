import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet

/// A deterministic synthetic table shaped like the lake's `requests` table (DESIGN.md), used by
/// `homebase parquet bench` to time our writer and reader beside pyarrow.
enum RequestsBenchmark {
    static let schema = ParquetSchema([
        .timestamp("ts"), .date("date"), .string("agent_id"), .string("session_id"), .string("entry_id"),
        .string("provider"), .string("model"), .string("api"),
        .int64("input_tokens"), .int64("output_tokens"), .int64("cache_read_tokens"), .int64("cache_write_tokens"), .int64("total_tokens"),
        .double("cost_usd"), .double("cost_logged_usd", nullable: true), .double("cost_priced_usd", nullable: true),
        .double("latency_ms", nullable: true), .string("stop_reason"), .string("status"), .string("error_class", nullable: true),
        .int32("tool_calls"), .string("source_file"), .int64("source_line")
    ])

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
        for k in stride(from: digits - 1, through: 0, by: -1) { out.append(hexDigits[Int((value >> UInt64(4 * k)) & 15)]) }
    }

    private static func uuid(_ a: UInt64, _ b: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        appendHex(a >> 32, digits: 8, to: &out); out.append(45)
        appendHex((a >> 16) & 0xFFFF, digits: 4, to: &out); out.append(45)
        appendHex(a & 0xFFFF, digits: 4, to: &out); out.append(45)
        appendHex(b >> 48, digits: 4, to: &out); out.append(45)
        appendHex(b & 0xFFFF_FFFF_FFFF, digits: 12, to: &out)
        return out
    }

    /// Rows `start..<start+count` of the synthetic table (one batch, schema order).
    static func batch(start: Int, count: Int, seed: UInt64 = 7) -> [ColumnData] {
        var random = SplitMix64(seed: seed &+ UInt64(start) &* 0x2545_F491_4F6C_DD1D)
        let agents = ["main", "research", "ops-bot", "coder", "support"].map { Array($0.utf8) }
        let providers = ["anthropic", "openai", "openrouter", "google"].map { Array($0.utf8) }
        let models = [
            "claude-sonnet-4-5", "claude-opus-4-1", "gpt-5", "gpt-5-mini", "gemini-2.5-pro", "o4-mini",
            "claude-haiku-4-5", "gpt-4.1", "deepseek-v3", "kimi-k2"
        ].map { Array($0.utf8) }
        let apis = ["anthropic-messages", "openai-responses", "openai-completions"].map { Array($0.utf8) }
        let stops = ["stop", "toolUse", "length", "error", "aborted"].map { Array($0.utf8) }
        let errors = ["rate_limit", "overloaded", "timeout", "context_overflow", "auth", "billing", "network", "server_error"].map { Array($0.utf8) }
        let ok = Array("ok".utf8), error = Array("error".utf8)

        var ts = [Int64](), date = [Int32](), toolCalls = [Int32]()
        var tokens = (0..<5).map { _ in [Int64]() }, line = [Int64]()
        var cost = [Double](), logged = [Double](), priced = [Double](), latency = [Double]()
        var loggedOK = [Bool](), pricedOK = [Bool](), latencyOK = [Bool](), errorOK = [Bool]()
        var agent = ByteArrayColumn(), session = ByteArrayColumn(), entry = ByteArrayColumn(), provider = ByteArrayColumn()
        var model = ByteArrayColumn(), api = ByteArrayColumn(), stop = ByteArrayColumn(), status = ByteArrayColumn()
        var errorClass = ByteArrayColumn(), source = ByteArrayColumn()
        for i in start..<start + count {
            let micros = Int64(1_735_689_600_000_000) + Int64(i) * 250_000 + Int64(random.below(250_000))
            ts.append(micros)
            date.append(Int32(micros / 86_400_000_000))
            let a = random.below(agents.count)
            agent.append(bytes: agents[a])
            let sessionNumber = UInt64(i / 400) &* 0x9E37_79B9 ^ UInt64(a)
            let sessionID = uuid(sessionNumber &* 0xD6E8_FEB8_6659_FD93, sessionNumber)
            session.append(bytes: sessionID)
            entry.append(bytes: uuid(random.next(), random.next()))
            let m = random.below(models.count)
            provider.append(bytes: providers[m % providers.count])
            model.append(bytes: models[m])
            api.append(bytes: apis[m % apis.count])
            let input = Int64(random.below(60_000)), output = Int64(random.below(4_000))
            let cacheRead = random.below(3) == 0 ? 0 : Int64(random.below(200_000)),
                cacheWrite = Int64(random.below(8) == 0 ? random.below(20_000) : 0)
            for (k, v) in [input, output, cacheRead, cacheWrite, input + output + cacheRead + cacheWrite].enumerated() { tokens[k].append(v) }
            let c = (Double(input) * 3 + Double(output) * 15 + Double(cacheRead) * 0.3 + Double(cacheWrite) * 3.75) / 1_000_000
            cost.append(c)
            let hasLogged = random.below(10) != 0
            logged.append(hasLogged ? c : 0); loggedOK.append(hasLogged)
            let hasPriced = random.below(5) != 0
            priced.append(hasPriced ? (c * 1000).rounded() / 1000 : 0); pricedOK.append(hasPriced)
            let hasLatency = random.below(20) != 0
            latency.append(hasLatency ? Double(200 + random.below(60_000)) : 0); latencyOK.append(hasLatency)
            let failed = random.below(12) == 0
            stop.append(bytes: failed ? stops[3] : stops[random.below(3)])
            status.append(bytes: failed ? error : ok)
            if failed { errorClass.append(bytes: errors[random.below(errors.count)]) } else { errorClass.appendEmpty() }
            errorOK.append(failed)
            toolCalls.append(Int32(random.below(4) == 0 ? random.below(6) : 0))
            var path = Array("/home/claw/.openclaw/agents/".utf8)
            path += agents[a]
            path += Array("/sessions/".utf8)
            path += sessionID
            path += Array(".jsonl".utf8)
            source.append(bytes: path)
            line.append(Int64(i % 400 + 1))
        }
        return [
            ColumnData(.int64(ts)), ColumnData(.int32(date)), ColumnData(.byteArray(agent)), ColumnData(.byteArray(session)),
            ColumnData(.byteArray(entry)), ColumnData(.byteArray(provider)), ColumnData(.byteArray(model)), ColumnData(.byteArray(api)),
            ColumnData(.int64(tokens[0])), ColumnData(.int64(tokens[1])), ColumnData(.int64(tokens[2])), ColumnData(.int64(tokens[3])),
            ColumnData(.int64(tokens[4])), ColumnData(.double(cost)), ColumnData(.double(logged), validity: loggedOK),
            ColumnData(.double(priced), validity: pricedOK), ColumnData(.double(latency), validity: latencyOK),
            ColumnData(.byteArray(stop)), ColumnData(.byteArray(status)), ColumnData(.byteArray(errorClass), validity: errorOK),
            ColumnData(.int32(toolCalls)), ColumnData(.byteArray(source)), ColumnData(.int64(line))
        ]
    }

    /// Timings of one benchmark run.
    package struct Result: Sendable {
        package var rows: Int
        package var plainBytes: Int
        package var fileBytes: Int
        package var writeSeconds: Double
        package var readSeconds: Double
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Synthesises `rows` rows (untimed), writes them with Snappy (timed), reads them back (timed).
    static func run(rows: Int, path: String, batchRows: Int = 1 << 20) throws -> Result {
        var batches: [[ColumnData]] = []
        var start = 0
        while start < rows {
            let n = min(batchRows, rows - start)
            batches.append(batch(start: start, count: n))
            start += n
        }
        let plain = batches.reduce(0) { $0 + $1.reduce(0) { $0 + ParquetWriter.plainSize($1.values) } }
        let t0 = now()
        let writer = try ParquetWriter(path: path, schema: schema, options: WriterOptions(codec: .snappy))
        for b in batches { try writer.write(b) }
        try writer.close()
        let t1 = now()
        batches = []
        let reader = try ParquetReader(path: path)
        var readRows = 0
        for g in reader.rowGroups.indices { readRows += try reader.read(rowGroup: g).first?.count ?? 0 }
        let t2 = now()
        guard readRows == rows else { throw ParquetError(path: path, "benchmark read back \(readRows) rows, wrote \(rows)") }
        var info = stat()
        stat(path, &info)
        return Result(rows: rows, plainBytes: plain, fileBytes: Int(info.st_size), writeSeconds: t1 - t0, readSeconds: t2 - t1)
    }
}
