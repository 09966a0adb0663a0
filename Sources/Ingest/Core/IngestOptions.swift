import Lake
import Config
/// Where `homebase ingest` reads from and writes to.
package struct IngestOptions: Sendable {
    package var dataDir: String
    package var openclawDirs: [String]
    package var gatewayDirs: [String]
    package var priceFile: String?
    /// Prices from the config file, over everything else.
    package var priceOverrides: [String: ModelPrice] = [:]
    /// Model aliases from the config file (invoice or display name → the name the logs use).
    package var modelAliases: [String: String] = [:]
    /// Directories (searched recursively) or files of provider invoices and usage exports.
    package var invoiceDirs: [String] = []
    /// Parallel file readers (default: the CPUs this process may use, `Processors.available`).
    package var parallelism: Int
    /// A partition with more live parts than this is compacted into one.
    package var compactAbove: Int = 8
    /// Rows held in memory before the stalest partition is written (see `LakeWriter`).
    package var bufferBytes: Int = 96 << 20
    /// The run's clock (epoch µs), injected so tests are deterministic.
    package var now: @Sendable () -> Int64

    package init(
        dataDir: String, openclawDirs: [String], gatewayDirs: [String], priceFile: String? = nil,
        parallelism: Int = 2, now: @escaping @Sendable () -> Int64
    ) {
        self.dataDir = dataDir
        self.openclawDirs = openclawDirs
        self.gatewayDirs = gatewayDirs
        self.priceFile = priceFile
        self.parallelism = parallelism
        self.now = now
    }
}

extension IngestOptions {
    /// The config's part of an ingest (data dir, gateway logs, invoices, prices, model aliases): the
    /// one mapping `ingest` and `nightly` share. `openclawDirs` are the state dirs that exist.
    package init(config: HomeBaseConfig, openclawDirs: [String], parallelism: Int, now: @escaping @Sendable () -> Int64) {
        self.init(
            dataDir: config.dataDir, openclawDirs: openclawDirs,
            gatewayDirs: config.gatewayLogDirs.isEmpty ? ["/tmp/openclaw"] : config.gatewayLogDirs,
            priceFile: config.priceFile, parallelism: parallelism, now: now)
        invoiceDirs = config.invoiceDirs
        priceOverrides = config.priceOverrides
        modelAliases = config.modelAliases
    }
}
