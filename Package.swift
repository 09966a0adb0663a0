// swift-tools-version:6.0
import PackageDescription

// The targets follow the data flow, bottom to top: each depends only on targets above it in this
// list. Raw logs and invoices → Ingest → Lake (Parquet + SQLite catalog) → Analysis / Query →
// Reports (rendered by Render) → Pipeline (nightly, alerts, backups) → HomeBaseCLI → `homebase`.
let package = Package(
    name: "HomeBase",
    products: [
        .executable(name: "homebase", targets: ["homebase"]),
        .executable(name: "homebase-bench", targets: ["homebase-bench"]),
        .executable(name: "homebase-net", targets: ["homebase-net"])
    ],
    targets: [
        // MARK: System libraries (module.modulemap + shim.h each); C calls stay in the wrappers below.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),
        // glibc's <malloc.h> (mallopt), part of libc6-dev.
        .systemLibrary(name: "CMalloc"),

        // MARK: Foundations
        // Time, JSON, CSV, statistics, SHA-256, atomic files, locks, fail points, shipped files.
        .target(name: "HomeBaseCore", dependencies: ["CMalloc"]),
        // The SQLite wrapper: statements, blobs, functions, virtual tables, online backup.
        .target(name: "SQLiteStore", dependencies: ["HomeBaseCore", "CSQLite"]),
        // zlib (deflate, gzip streams, CRC-32) and zstd (streaming decode).
        .target(name: "Codecs", dependencies: ["HomeBaseCore", "CZlib", "CZstd"]),
        // Generic Parquet reader and writer; no Home Base schema.
        .target(name: "Parquet", dependencies: ["Codecs"]),
        // S3-compatible object storage (SigV4, multipart, retries): remote backups and the lake mirror.
        .target(name: "ObjectStore", dependencies: ["HomeBaseCore"]),

        // Host and gateway samples from /proc (`homebase sample`), their spool, and the health rules.
        .target(name: "HostHealth", dependencies: ["HomeBaseCore"]),

        // MARK: Storage
        // A Delta Lake log (_delta_log/) beside each table, so Spark, DuckDB and Trino read committed snapshots.
        .target(name: "DeltaLog", dependencies: ["HomeBaseCore", "Parquet"]),
        // Tables, catalog (snapshots, parts, sources), typed rows, part checksums, prices.
        .target(name: "Lake", dependencies: ["HomeBaseCore", "SQLiteStore", "Codecs", "Parquet", "HostHealth", "DeltaLog"]),
        // homebase.json: the model and its reader.
        .target(name: "Config", dependencies: ["HomeBaseCore", "Lake", "ObjectStore", "HostHealth"]),

        // MARK: Stages
        // OpenClaw transcripts, session stores, gateway logs and provider invoices into the lake.
        .target(name: "Ingest", dependencies: ["HomeBaseCore", "SQLiteStore", "Codecs", "Lake", "Config", "HostHealth"]),
        // Causal anomaly scores and backtested daily forecasts for any metric series.
        .target(name: "Detectors", dependencies: ["HomeBaseCore"]),
        // analysis.json (the Analysis type): windows, latency, cost, forecasts, anomalies, reconciliation, recommendations, alerts.
        .target(name: "Analytics", dependencies: ["HomeBaseCore", "Codecs", "Lake", "Config", "Ingest", "Detectors", "HostHealth", "ObjectStore"]),
        // SQL over a lake snapshot (SQLite virtual tables) and the named queries.
        .target(name: "Query", dependencies: ["HomeBaseCore", "SQLiteStore", "Lake"]),
        // Pure writers: HTML, PDF (embedded fonts), XLSX, MIME, charts.
        .target(name: "Render", dependencies: ["HomeBaseCore", "Codecs"]),
        // Report definitions → documents, from analysis.json and query results.
        .target(name: "Reports", dependencies: ["HomeBaseCore", "SQLiteStore", "Lake", "Config", "Analytics", "Query", "Render"]),
        // PagerDuty Events v2 and Telegram delivery, resolved notes, secrets redacted (requests through the network helper).
        .target(name: "OnCall", dependencies: ["HomeBaseCore", "ObjectStore"]),
        // Verified, compressed backups of the data dir; restore and retention.
        .target(name: "Backup", dependencies: ["HomeBaseCore", "SQLiteStore", "Codecs", "Lake", "ObjectStore"]),
        // Nightly job, alert delivery, doctor, and the options layer every command shares.
        .target(
            name: "Pipeline",
            dependencies: [
                "HomeBaseCore", "SQLiteStore", "Lake", "Config", "Ingest", "Analytics", "Query", "Render", "Reports", "ObjectStore", "Backup",
                "HostHealth", "OnCall"
            ]),

        // MARK: Tools
        // Synthetic OpenClaw installations for tests, demos and benchmarks (`homebase generate`).
        .target(name: "Generate", dependencies: ["HomeBaseCore", "SQLiteStore", "Codecs", "Ingest"]),
        // Commands, argument scanning, console.
        .target(
            name: "HomeBaseCLI",
            dependencies: [
                "HomeBaseCore", "SQLiteStore", "Codecs", "Parquet", "Lake", "Config", "Ingest", "Detectors", "Analytics", "Query", "Render",
                "Reports", "ObjectStore", "Backup", "Pipeline", "Generate", "HostHealth", "OnCall"
            ]),
        // The installed binary: five lines over HomeBaseCLI.
        .executableTarget(name: "homebase", dependencies: ["HomeBaseCLI"]),
        // The network helper: the only target that links FoundationNetworking (libcurl), so the
        // commands that make no request start without loading it (`HelperTransport`).
        .executableTarget(name: "homebase-net", dependencies: ["HomeBaseCore", "ObjectStore"]),
        // `make bench` helpers: synthetic Parquet and lakes of any size.
        .executableTarget(name: "homebase-bench", dependencies: ["HomeBaseCore", "SQLiteStore", "Parquet", "Lake"]),

        // MARK: Tests (one test target per library target; shared fixtures and oracles in TestSupport)
        .target(
            name: "TestSupport",
            dependencies: [
                "HomeBaseCore", "SQLiteStore", "Codecs", "Parquet", "Lake", "Config", "Ingest", "Analytics", "Query", "Render", "Reports",
                "ObjectStore", "Backup", "Pipeline", "Generate", "HomeBaseCLI", "HostHealth", "OnCall"
            ], path: "Tests/TestSupport", exclude: ["Fixtures"]),
        .testTarget(name: "HostHealthTests", dependencies: ["HostHealth", "HomeBaseCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "OnCallTests", dependencies: ["OnCall", "HomeBaseCore", "TestSupport"]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "HomeBaseCore", "TestSupport"]),
        .testTarget(name: "DeltaLogTests", dependencies: ["DeltaLog", "HomeBaseCore", "Parquet", "TestSupport"]),
        .testTarget(name: "ObjectStoreTests", dependencies: ["ObjectStore", "HomeBaseCore", "TestSupport"]),
        .testTarget(name: "DetectorsTests", dependencies: ["Detectors", "HomeBaseCore", "TestSupport"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "HomeBaseCore", "TestSupport"]),
        .testTarget(name: "HomeBaseCoreTests", dependencies: ["HomeBaseCore", "TestSupport"]),
        .testTarget(name: "LakeTests", dependencies: ["Lake", "HomeBaseCore", "SQLiteStore", "Parquet", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "HomeBaseCore", "Lake", "TestSupport"]),
        .testTarget(
            name: "IngestTests", dependencies: ["Ingest", "HomeBaseCore", "SQLiteStore", "Codecs", "Parquet", "Lake", "Config", "TestSupport"]),
        .testTarget(
            name: "AnalyticsTests",
            dependencies: [
                "Analytics", "Detectors", "HomeBaseCore", "SQLiteStore", "Parquet", "Lake", "Config", "Ingest", "ObjectStore", "TestSupport"
            ]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "HomeBaseCore", "SQLiteStore", "Parquet", "Lake", "Ingest", "TestSupport"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "HomeBaseCore", "Codecs", "TestSupport"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "HomeBaseCore", "SQLiteStore", "Lake", "Config", "Ingest", "Analytics", "Query", "Render", "TestSupport"]),
        .testTarget(
            name: "BackupTests",
            dependencies: ["Backup", "HomeBaseCore", "SQLiteStore", "Codecs", "Parquet", "Lake", "Ingest", "ObjectStore", "TestSupport"]),
        .testTarget(
            name: "GenerateTests", dependencies: ["Generate", "HomeBaseCore", "SQLiteStore", "Codecs", "Lake", "Ingest", "Analytics", "TestSupport"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "HomeBaseCore", "SQLiteStore", "Lake", "Config", "Ingest", "Analytics", "Query", "Render", "Reports", "Backup",
                "Generate", "ObjectStore", "HostHealth", "OnCall", "TestSupport"
            ]),
        .testTarget(
            name: "HomeBaseCLITests",
            dependencies: [
                "HomeBaseCLI", "HomeBaseCore", "SQLiteStore", "Codecs", "Parquet", "Lake", "Config", "Ingest", "Analytics", "Query", "Render",
                "Reports", "Backup", "Pipeline", "Generate", "ObjectStore", "Detectors", "HostHealth", "OnCall", "TestSupport"
            ])
    ],
    swiftLanguageModes: [.v6]
)

// The stages are separate modules, but the hot paths cross them (JSON scanning, dates, hashing in
// ingest): let the optimiser inline and specialise across module boundaries in release builds,
// as it did when everything was one module.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
}
