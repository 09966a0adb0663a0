import Foundation
import HomeBaseCore
import SQLiteStore
import ObjectStore
import HostHealth
import Lake
import Config
import Ingest
import Analytics
import Reports

/// `homebase doctor`: checks what a nightly run needs before cron finds out, and says what to fix.
package struct Doctor {
    package struct Finding: Sendable, Equatable {
        package enum Level: String, Sendable { case ok, warn, fail }
        package var level: Level
        package var message: String
        package init(level: Level, message: String) { self.level = level; self.message = message }
    }

    let config: HomeBaseConfig
    let environment: [String: String]

    package init(config: HomeBaseConfig, environment: [String: String] = ProcessEnvironment.current) {
        self.config = config
        self.environment = environment
    }

    package func check() -> [Finding] {
        var findings: [Finding] = [Finding(level: .ok, message: "config: \(config.file ?? "none (defaults)")")]
        let fm = FileManager.default
        func directory(_ path: String, what: String, key: String, required: Bool) {
            var isDir: ObjCBool = false
            if !fm.fileExists(atPath: path, isDirectory: &isDir) || !isDir.boolValue {
                findings.append(
                    Finding(level: required ? .fail : .warn, message: "\(what) \(path) does not exist: fix \(key) in the config or pass the flag"))
            } else if !fm.isReadableFile(atPath: path) {
                findings.append(Finding(level: .fail, message: "\(what) \(path) is not readable by this user: fix its permissions"))
            } else {
                findings.append(Finding(level: .ok, message: "\(what) \(path)"))
            }
        }
        let openclaw = config.openclawDirs.isEmpty ? [OpenClawStateDir.defaultStateDir(environment)] : config.openclawDirs
        for dir in openclaw {
            directory(dir, what: "OpenClaw state directory", key: "sources.openclaw", required: true)
            if fm.fileExists(atPath: dir) && !fm.fileExists(atPath: dir + "/agents") {
                findings.append(Finding(level: .warn, message: "\(dir) has no agents/ directory: is it an OpenClaw state directory (~/.openclaw)?"))
            }
        }
        for dir in config.gatewayLogDirs.isEmpty ? ["/tmp/openclaw"] : config.gatewayLogDirs {
            directory(dir, what: "gateway log directory", key: "sources.gateway_logs", required: false)
        }
        for dir in config.invoiceDirs { directory(dir, what: "invoice directory", key: "sources.invoices", required: false) }
        findings += dataDirFindings()
        findings += priceFindings()
        if let dir = config.backup.dir, case .s3(let location)? = try? StorageLocation.parse(dir) {
            findings += bucketFindings(location, what: "backup.dir")
        } else if let dir = config.backup.dir {
            findings += space(at: dir, what: "backup directory", need: lakeBytes())
        } else {
            findings.append(
                Finding(
                    level: .warn,
                    message: "no backup.dir: the lake and catalog are the only copy of history the raw logs no longer hold; set backup.dir"))
        }
        if let mirror = config.lakeMirror, case .s3(let location)? = try? StorageLocation.parse(mirror) {
            findings += bucketFindings(location, what: "lake_mirror")
        }
        if let email = config.email, let command = email.sendmail?.split(separator: " ").first.map(String.init),
            !fm.isExecutableFile(atPath: command)
        {
            findings.append(
                Finding(level: .fail, message: "email.sendmail: \(command) is not an executable file (install a mail transfer agent or fix the path)")
            )
        }
        findings += healthFindings()
        return findings
    }

    /// Whether `homebase sample` runs (never sampled is fine: sampling is optional; samples that
    /// stopped are a warning), and whether the on-call channels find their secrets (never shown).
    func healthFindings(nowMicros: Int64 = SystemClock.nowMicros()) -> [Finding] {
        var findings: [Finding] = []
        let status = SamplingStatus.check(
            SampleSpool(dataDir: config.dataDir), nowMicros: nowMicros, expectedIntervalSeconds: config.health.intervalSeconds,
            factor: config.health.alerts.gapFactor)
        findings.append(Finding(level: status.lastSampleMicros == nil || status.arriving ? .ok : .warn, message: status.message))
        if let pagerduty = config.alerts.pagerduty {
            let set = !(environment[pagerduty.routingKeyEnv] ?? "").isEmpty
            findings.append(
                Finding(
                    level: set ? .ok : .fail,
                    message: set
                        ? "alerts.pagerduty: routing key found in $\(pagerduty.routingKeyEnv)"
                        : "alerts.pagerduty: $\(pagerduty.routingKeyEnv) is not set: export the Events API v2 integration key for cron"))
        }
        if let telegram = config.alerts.telegram {
            let set = !(environment[telegram.botTokenEnv] ?? "").isEmpty
            let chat = telegram.chatId ?? environment["HOMEBASE_TELEGRAM_CHAT_ID"]
            findings.append(
                Finding(
                    level: set && chat != nil ? .ok : .fail,
                    message: !set
                        ? "alerts.telegram: $\(telegram.botTokenEnv) is not set: export the bot token from @BotFather for cron"
                        : chat == nil
                            ? "alerts.telegram: no chat id: set alerts.telegram.chat_id or $HOMEBASE_TELEGRAM_CHAT_ID"
                            : "alerts.telegram: bot token found in $\(telegram.botTokenEnv), chat \(chat ?? "")"))
        }
        return findings
    }

    /// An S3 location: credentials found, then `S3Store.probe` (list, write, read back, delete a
    /// probe object). Secrets never appear: errors carry the S3 code and message only.
    func bucketFindings(_ location: S3Location, what: String) -> [Finding] {
        let store: S3Store
        do { store = try S3Store(location: location, settings: config.backup.s3, environment: environment) } catch {
            return [Finding(level: .fail, message: "\(what) \(location): \(error)")]
        }
        return store.probe(nowMicros: SystemClock.nowMicros()).map { Finding(level: $0.ok ? .ok : .fail, message: "\(what) " + $0.message) }
    }

    private func dataDirFindings() -> [Finding] {
        let fm = FileManager.default
        let dir = config.dataDir
        var parent = dir
        while !fm.fileExists(atPath: parent) { parent = (parent as NSString).deletingLastPathComponent; if parent.isEmpty { parent = "." } }
        guard fm.isWritableFile(atPath: parent) else {
            return [Finding(level: .fail, message: "data directory \(dir) is not writable by this user (data_dir or --data)")]
        }
        var findings = [Finding(level: .ok, message: "data directory \(dir)")]
        if fm.fileExists(atPath: dir + "/" + Catalog.fileName) {
            do {
                let snapshot = try Catalog(dataDir: dir, readOnly: true).latestSnapshot()
                findings.append(Finding(level: .ok, message: "catalog opens, snapshot \(snapshot.map(String.init) ?? "none yet")"))
                if snapshot != nil, !config.budgets.agents.isEmpty {
                    var options = AnalysisOptions(dataDir: dir, generatedAt: 0)
                    options.agentBudgetsUSD = config.budgets.agents
                    if let idle = try? ReportRunner.budgetAgentsWithoutCalls(options), !idle.isEmpty {
                        findings.append(
                            Finding(
                                level: .warn,
                                message: "budgets.agents: \(idle.joined(separator: ", ")) never made a call; "
                                    + "check the agent id (homebase query \"SELECT DISTINCT agent_id FROM requests\")"))
                    }
                }
            } catch {
                findings.append(Finding(level: .fail, message: "catalog: \(error); restore the newest backup (homebase backup restore)"))
            }
        }
        return findings + space(at: parent, what: "data directory", need: lakeBytes())
    }

    /// Every (provider, model) the lake holds must have a price, or its calls count as $0.
    private func priceFindings() -> [Finding] {
        let book: PriceBook
        do { book = try PriceBook.load(dataDir: config.dataDir, extraFile: config.priceFile, overrides: config.priceOverrides) } catch {
            return [Finding(level: .fail, message: "price book: \(error)")]
        }
        var seen = Set<String>()
        var missing: [String] = []
        var unpricedCalls: [String: Int] = [:]  // priceless models whose calls logged no cost either
        do {
            try LakeScan(dataDir: config.dataDir, table: .requests).forEachPart(columns: ["provider", "model", "cost_source"]) { _, data in
                guard case .byteArray(let providers) = data[0].values, case .byteArray(let models) = data[1].values,
                    case .byteArray(let sources) = data[2].values
                else { return }
                for i in 0..<providers.count {
                    let key = providers.string(at: i) + "/" + models.string(at: i)
                    if seen.insert(key).inserted, book.price(provider: providers.string(at: i), model: models.string(at: i)) == nil {
                        missing.append(key)
                    }
                    if sources.value(at: i).elementsEqual("unpriced".utf8) { unpricedCalls[key, default: 0] += 1 }
                }
            }
        } catch {
            return [Finding(level: .fail, message: "reading the lake: \(error)")]
        }
        if seen.isEmpty { return [Finding(level: .ok, message: "price book as of \(book.asOf) (no calls in the lake yet)")] }
        if missing.isEmpty { return [Finding(level: .ok, message: "price book as of \(book.asOf) covers all \(seen.count) models seen")] }
        var findings: [Finding] = []
        let logged = missing.filter { unpricedCalls[$0] == nil }.sorted()
        if !logged.isEmpty {
            findings.append(Finding(level: .ok, message: "no price for \(logged.joined(separator: ", ")), but their calls log their own cost"))
        }
        if !unpricedCalls.isEmpty {
            let list = unpricedCalls.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) calls)" }.joined(separator: ", ")
            findings.append(
                Finding(
                    level: .warn,
                    message: "calls counted at $0 for want of a price: \(list); "
                        + "add the models under prices.overrides in the config, or `homebase prices import litellm FILE` (calls ingested from then on are priced)"
                ))
        }
        return findings
    }

    private func lakeBytes() -> Int64 {
        LakeTable.all.reduce(0) { total, table in
            total + ((try? LakeScan(dataDir: config.dataDir, table: table).parts.reduce(0) { $0 + $1.byteSize }) ?? 0)
        }
    }

    /// Free space for a copy of the lake twice over (compaction and backups write beside it), and 1 GiB at least.
    private func space(at path: String, what: String, need: Int64) -> [Finding] {
        var probe = path
        while !FileManager.default.fileExists(atPath: probe) && probe != "/" && !probe.isEmpty {
            probe = (probe as NSString).deletingLastPathComponent
        }
        guard let free = (try? FileManager.default.attributesOfFileSystem(forPath: probe.isEmpty ? "." : probe))?[.systemFreeSize] as? NSNumber else {
            return [Finding(level: .warn, message: "\(what) \(path): cannot tell the free disk space")]
        }
        let wanted = max(2 * need, 1 << 30)
        let text = "\(free.int64Value >> 20) MiB free for \(what) \(path) (lake \(need >> 20) MiB)"
        return [
            Finding(level: free.int64Value < wanted ? .warn : .ok, message: text + (free.int64Value < wanted ? "; free some space or move it" : ""))
        ]
    }
}
