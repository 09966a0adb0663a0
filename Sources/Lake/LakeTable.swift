import Parquet
import HostHealth

/// A lake table: its name (a contract with users' SQL) and its Parquet schema. The `date`
/// partition key lives in the directory name (`date=YYYY-MM-DD`, Hive style), not in the files,
/// as Spark, Trino, DuckDB and pyarrow expect.
package struct LakeTable: Sendable, Equatable {
    package var name: String
    package var schema: ParquetSchema

    package static let requests = LakeTable(
        name: "requests",
        schema: ParquetSchema([
            .timestamp("ts"),
            .string("agent_id"), .string("session_id"), .string("entry_id"),
            .string("provider"), .string("model"), .string("api"),
            .int64("input_tokens"), .int64("output_tokens"), .int64("cache_read_tokens"),
            .int64("cache_write_tokens"), .int64("total_tokens"),
            .double("cost_usd"), .double("cost_logged_usd", nullable: true), .double("cost_priced_usd", nullable: true),
            .string("cost_source"),
            .double("latency_ms", nullable: true),
            .string("stop_reason"), .string("status"),
            .string("error_class", nullable: true), .string("error_message", nullable: true),
            .string("retry_of", nullable: true),
            .int32("tool_calls"),
            .string("source_file"), .int64("source_line")
        ]))

    package static let gatewayEvents = LakeTable(
        name: "gateway_events",
        schema: ParquetSchema([
            .timestamp("ts"), .string("level"), .string("subsystem", nullable: true), .string("event"),
            .string("provider", nullable: true), .string("model", nullable: true), .string("reason", nullable: true),
            .int32("http_status", nullable: true), .string("run_id", nullable: true), .string("message"),
            .string("source_file"), .int64("source_line")
        ]))

    package static let quarantine = LakeTable(
        name: "quarantine",
        schema: ParquetSchema([
            .timestamp("ts"), .string("source_file"), .int64("source_line"), .int64("byte_offset"),
            .string("reason"), .string("excerpt")
        ]))

    /// Provider invoices and usage exports in FOCUS 1.x names (a contract: see DESIGN.md). `BilledCost`
    /// is exact, DECIMAL(38,18) (lakes written before it was text are rewritten once, see
    /// `readConformed`); `x_BilledCostDouble` is the same as a double. Both are null on usage rows,
    /// which carry quantities only (`x_Dataset`).
    package static let invoiceLines = LakeTable(
        name: "invoice_lines",
        schema: ParquetSchema([
            .timestamp("ChargePeriodStart"), .timestamp("ChargePeriodEnd"),
            .decimal("BilledCost", nullable: true), .string("BillingCurrency"), .string("ServiceProviderName"),
            .string("ChargeCategory"), .string("ChargeDescription", nullable: true),
            .double("ConsumedQuantity", nullable: true), .string("ConsumedUnit", nullable: true),
            .string("SubAccountId", nullable: true),
            .string("x_Model", nullable: true), .string("x_TokenType", nullable: true), .string("x_ApiKeyId", nullable: true),
            .string("x_SourceFile"), .int64("x_SourceLine"),
            .double("x_BilledCostDouble", nullable: true), .string("x_ModelRaw", nullable: true), .string("x_Dataset"),
            .string("x_SourceFormat"), .string("x_GenerationId", nullable: true), .string("x_HostProviderName", nullable: true),
            // Lines billed in another currency (docs/invoices.md#currencies): source currency, amount, rate, rate day.
            .string("x_SourceCurrency", nullable: true), .string("x_SourceBilledCost", nullable: true),
            .string("x_FxRateToUsd", nullable: true), .string("x_FxRateDate", nullable: true)
        ]))

    /// One row per host sample (`homebase sample`, folded from the spool by ingest), partitioned
    /// by the UTC day of `ts_us`; the columns are `HostSampleRow.columns`, all but `ts_us` and
    /// `host` nullable. See docs/health.md.
    package static let hostSamples = LakeTable(
        name: "host_samples",
        schema: ParquetSchema(
            zip(HostSampleRow.columns, HostSampleRow.kinds).map { name, kind in
                let nullable = name != "ts_us" && name != "host"
                switch kind {
                case .int: return .int64(name, nullable: nullable)
                case .double: return .double(name, nullable: nullable)
                case .string: return .string(name, nullable: nullable)
                case .bool: return .boolean(name, nullable: nullable)
                }
            }))

    /// `requests` summed per 15-minute UTC bucket × agent × model × provider × status × error
    /// class, one part beside each `requests` part (see `RequestsRollup`, docs/lake.md).
    package static let requestsRollup = LakeTable(
        name: "requests_rollup",
        schema: ParquetSchema([
            .timestamp("bucket"),
            .string("agent_id"), .string("model"), .string("provider"), .string("status"), .string("error_class", nullable: true),
            .int64("calls"), .int64("errors"), .int64("retries"),
            .int64("input_tokens"), .int64("output_tokens"), .int64("cache_read_tokens"), .int64("cache_write_tokens"),
            .int64("total_tokens"), .int64("tool_calls"), .double("cost_usd")
        ]))

    /// The exact latency histogram of each `requests_rollup` group: one row per distinct
    /// `latency_ms` (null: calls without a latency) with its number of calls.
    package static let requestsLatencyRollup = LakeTable(
        name: "requests_latency_rollup",
        schema: ParquetSchema([
            .timestamp("bucket"),
            .string("agent_id"), .string("model"), .string("provider"), .string("status"), .string("error_class", nullable: true),
            .double("latency_ms", nullable: true), .int64("calls")
        ]))

    /// Every table; the rollups come after `requests`, so a pass over the tables in this order
    /// (compaction) has retired a compacted part's companions before it looks at theirs.
    package static let all: [LakeTable] = [
        .requests, .gatewayEvents, .quarantine, .invoiceLines, .hostSamples, .requestsRollup, .requestsLatencyRollup
    ]
}
