import Foundation
import HomeBaseCore
import SQLiteStore
import ObjectStore
import Lake

extension HomeBaseConfig {
    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let reportFormats = ["html", "pdf", "csv", "xlsx", "eml"]

    /// Reads and checks a config file; every problem names the key and the expected form.
    package static func load(file: String) throws -> HomeBaseConfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError(file: file, key: "", "cannot read the config file (does it exist? pass --config FILE)")
        }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL.path
        return try parse(String(decoding: data, as: UTF8.self), file: file, baseDir: directory)
    }

    /// Parses config text (for tests and `doctor`); relative paths resolve against `baseDir`.
    package static func parse(_ text: String, file: String = "config.json", baseDir: String = ".") throws -> HomeBaseConfig {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch { throw ConfigError(file: file, key: "", "not valid JSON: \(error)") }
        var reader = try ConfigReader(file: file, path: "", baseDir: baseDir, value: value)
        var config = try read(&reader)
        try reader.finish()
        config.file = file
        return config
    }

    private static func read(_ r: inout ConfigReader) throws -> HomeBaseConfig {
        var c = HomeBaseConfig()
        _ = try r.string("$schema")
        _ = try r.string("comment")
        try r.object("sources") { s in
            c.openclawDirs = try s.paths("openclaw") ?? []
            c.gatewayLogDirs = try s.paths("gateway_logs") ?? []
            c.invoiceDirs = try s.paths("invoices") ?? []
        }
        c.dataDir = try r.path("data_dir") ?? r.resolve(c.dataDir)
        c.outputDir = try r.path("output_dir") ?? r.resolve(c.outputDir)
        c.lakeMirror = try r.location("lake_mirror")
        if let zone = try r.string("timezone", expected: "an IANA time zone name such as \"Europe/Berlin\"") {
            guard TimeZone(identifier: zone) != nil else {
                throw ConfigError(
                    file: r.file, key: "timezone", "unknown time zone \"\(zone)\" (expected an IANA name such as \"Europe/Berlin\" or \"UTC\")")
            }
            c.timeZone = zone
        }
        if let currency = try r.string("currency", expected: "an ISO 4217 code such as \"USD\"") {
            guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw ConfigError(file: r.file, key: "currency", "expected an ISO 4217 code such as \"USD\", got \"\(currency)\"")
            }
            c.currency = currency
        }
        let file = r.file, baseDir = r.baseDir
        try r.object("budgets") { b in
            c.budgets.monthlyUSD = try b.number("monthly_usd", expected: "a monthly budget in USD", range: 0...1e12)
            c.budgets.agents =
                try b.map("agents") { agent, value, path in
                    guard case .number(let text) = value, let usd = Double(text), usd >= 0 else {
                        throw ConfigError(
                            file: file, key: path, "expected a monthly budget in USD for agent \(agent), got \(ConfigReader.kind(value))")
                    }
                    return usd
                } ?? [:]
        }
        try r.object("prices") { p in
            c.priceFile = try p.path("file")
            c.priceOverrides =
                try p.map("overrides") { model, value, path in
                    var m = try ConfigReader(file: file, path: path, baseDir: baseDir, value: value)
                    let perMillion = "USD per million tokens"
                    guard let input = try m.number("input", expected: perMillion, range: 0...1e6),
                        let output = try m.number("output", expected: perMillion, range: 0...1e6)
                    else {
                        throw ConfigError(
                            file: file, key: path, "a price needs \"input\" and \"output\" (\(perMillion)), e.g. {\"input\": 3, \"output\": 15}")
                    }
                    let price = ModelPrice(
                        input: input, output: output,
                        cacheRead: try m.number("cache_read", expected: perMillion, range: 0...1e6),
                        cacheWrite: try m.number("cache_write", expected: perMillion, range: 0...1e6))
                    try m.finish()
                    return price
                } ?? [:]
        }
        c.modelAliases =
            try r.map("model_aliases") { name, value, path in
                guard case .string(let alias) = value, !alias.isEmpty else {
                    throw ConfigError(file: file, key: path, "expected the model name the logs use for \"\(name)\", got \(ConfigReader.kind(value))")
                }
                return alias
            } ?? [:]
        try r.object("anomalies") { a in
            c.alerts.anomalyAlertZ = try a.number("alert_z", expected: "a robust z (the score is 0.5 there)", range: 0.5...1000)
            c.alerts.anomalyShiftZ = try a.number("shift_z", expected: "a robust z", range: 0.5...1000)
            c.alerts.anomalyShiftConfirm = try a.integer("shift_confirm", expected: "a number of points in a row", range: 1...1000)
        }
        try r.object("alerts") { a in
            c.alerts.budgetPercent = try a.number("budget_percent", expected: "a percentage of the budget", range: 0...1000) ?? c.alerts.budgetPercent
            c.alerts.projectedOverrun = try a.bool("projected_overrun") ?? c.alerts.projectedOverrun
            c.alerts.anomalyScore = try a.number("anomaly_score", expected: "a robust z-score", range: 0...1000) ?? c.alerts.anomalyScore
            c.alerts.anomalyMinimumUSD = try a.number("anomaly_min_usd", expected: "dollars", range: 0...1e9)
            c.alerts.anomalyMinimumCalls = try a.number("anomaly_min_calls", expected: "a number of calls", range: 0...1e12)
            c.alerts.p95LatencyMs = try a.number("p95_latency_ms", expected: "milliseconds", range: 0...1e9)
            c.alerts.errorRate = try a.number("error_rate", expected: "a fraction of calls", range: 0...1) ?? c.alerts.errorRate
            c.alerts.reconciliationGapPercent =
                try a.number("reconciliation_gap_percent", expected: "a percentage", range: 0...1000)
                ?? c.alerts.reconciliationGapPercent
            c.alerts.credentialDays = try a.integer("credential_days", expected: "days", range: 0...3650) ?? c.alerts.credentialDays
            c.alerts.dataQuality = try a.bool("data_quality") ?? c.alerts.dataQuality
            c.alerts.webhooks =
                try a.objects("webhooks") { w in
                    guard let url = try w.string("url", expected: "an http(s) URL"), url.hasPrefix("http://") || url.hasPrefix("https://") else {
                        throw ConfigError(file: w.file, key: w.path + ".url", "a webhook needs \"url\": \"https://…\"")
                    }
                    var hook = Webhook(url: url)
                    if let format = try w.string("format") {
                        guard ["json", "slack", "discord"].contains(format) else {
                            throw ConfigError(file: w.file, key: w.path + ".format", "expected \"json\", \"slack\" or \"discord\", got \"\(format)\"")
                        }
                        hook.format = format
                    }
                    hook.timeoutSeconds = try w.number("timeout_seconds", expected: "seconds", range: 0.1...600) ?? hook.timeoutSeconds
                    hook.retries = try w.integer("retries", expected: "a retry count", range: 0...10) ?? hook.retries
                    return hook
                } ?? []
            try readOnCall(&a, into: &c)
        }
        try r.object("health") { h in try readHealth(&h, into: &c) }
        try r.object("reports") { s in
            c.reports.daily = try s.bool("daily") ?? c.reports.daily
            c.reports.monthly = try s.bool("monthly") ?? c.reports.monthly
            if let day = try s.string("weekly_on", expected: "a weekday name such as \"monday\", or \"never\"") {
                if day.lowercased() == "never" {
                    c.reports.weeklyOn = nil
                } else if let index = weekdays.firstIndex(of: day.lowercased()) {
                    c.reports.weeklyOn = index + 1
                } else {
                    throw ConfigError(
                        file: s.file, key: "reports.weekly_on", "expected a weekday name such as \"monday\", or \"never\", got \"\(day)\"")
                }
            }
            if let formats = try s.strings("formats") {
                for format in formats where !reportFormats.contains(format) {
                    throw ConfigError(
                        file: s.file, key: "reports.formats",
                        "unknown format \"\(format)\" (expected some of: \(reportFormats.joined(separator: ", ")))")
                }
                c.reports.formats = formats
            }
            c.reports.csvByteOrderMark = try s.bool("csv_bom") ?? c.reports.csvByteOrderMark
            if let font = try s.string("font", expected: "a TrueType font file (.ttf) or \"standard\"") {
                c.reports.font = font == "standard" ? font : s.resolve(font)
            }
        }
        c.email = try r.object("email") { e in
            guard let from = try e.string("from", expected: "an address"), let to = try e.strings("to", expected: "a list of addresses"), !to.isEmpty
            else {
                throw ConfigError(
                    file: e.file, key: e.path,
                    "e-mail needs \"from\" and \"to\", e.g. {\"from\": \"homebase@example.com\", \"to\": [\"ops@example.com\"]}")
            }
            for address in [from] + to where !address.contains("@") {
                throw ConfigError(file: e.file, key: e.path, "\"\(address)\" is not an e-mail address")
            }
            var settings = EmailSettings(from: from, to: to)
            settings.subjectPrefix = try e.string("subject_prefix") ?? settings.subjectPrefix
            settings.sendmail = try e.string("sendmail", expected: "a command such as \"/usr/sbin/sendmail -t\"")
            if let reports = try e.strings("reports", expected: "a list of report periods such as [\"weekly\", \"monthly\"]") {
                for period in reports where ReportCadence(rawValue: period) == nil {
                    throw ConfigError(file: e.file, key: "email.reports", "unknown report \"\(period)\" (expected some of: daily, weekly, monthly)")
                }
                settings.reports = reports
            }
            return settings
        }
        try r.object("backup") { b in
            c.backup.dir = try b.location("dir")
            c.backup.s3 = try b.object("s3") { o in
                for secretish in ["secret_access_key", "secret", "session_token"] where try o.raw(secretish) != nil {
                    throw ConfigError(
                        file: o.file, key: "backup.s3." + secretish,
                        "never put the secret in the config: name it with secret_access_key_env or secret_access_key_file")
                }
                return S3Settings(
                    endpoint: try o.string("endpoint", expected: "a URL such as \"https://s3.eu-west-1.amazonaws.com\""),
                    region: try o.string("region", expected: "a region such as \"us-east-1\" or \"auto\""), pathStyle: try o.bool("path_style"),
                    accessKeyID: try o.string("access_key_id"),
                    secretAccessKeyEnv: try o.string("secret_access_key_env", expected: "a variable name"),
                    secretAccessKeyFile: try o.path("secret_access_key_file"),
                    sessionTokenEnv: try o.string("session_token_env", expected: "a variable name"))
            }
            c.backup.keepDaily = try b.integer("keep_daily", range: 0...10000) ?? c.backup.keepDaily
            c.backup.keepWeekly = try b.integer("keep_weekly", range: 0...10000) ?? c.backup.keepWeekly
            c.backup.keepMonthly = try b.integer("keep_monthly", range: 0...10000) ?? c.backup.keepMonthly
        }
        c.credentials =
            try r.objects("credentials") { k in
                guard let id = try k.string("key_id"), let provider = try k.string("provider"),
                    let created = try k.string("created", expected: "a date YYYY-MM-DD")
                else {
                    throw ConfigError(
                        file: k.file, key: k.path,
                        "a credential needs \"key_id\", \"provider\" and \"created\" (YYYY-MM-DD); never put the secret here")
                }
                for (key, date) in [("created", created), ("expires", try k.string("expires", expected: "a date YYYY-MM-DD"))] {
                    if let date, UTCDate.parseDate(date) == nil {
                        throw ConfigError(file: k.file, key: k.path + "." + key, "expected a date YYYY-MM-DD, got \"\(date)\"")
                    }
                }
                var credential = Credential(keyID: id, provider: provider, created: created)
                credential.expires = try k.string("expires")
                credential.rotateAfterDays = try k.integer("rotate_after_days", expected: "days", range: 1...36500)
                credential.agents = try k.strings("agents") ?? []
                credential.invoiceNames = try k.strings("invoice_names") ?? []
                credential.monthlyLimitUSD = try k.number("monthly_limit_usd", expected: "dollars", range: 0...1e12)
                for secretish in ["key", "secret", "api_key", "token"] where try k.string(secretish) != nil {
                    throw ConfigError(
                        file: k.file, key: k.path + "." + secretish,
                        "never put a secret in the config: only its metadata (key_id, provider, created, expires, rotate_after_days, agents, invoice_names, monthly_limit_usd)"
                    )
                }
                return credential
            } ?? []
        return c
    }
}
