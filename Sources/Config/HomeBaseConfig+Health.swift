import HostHealth
extension HomeBaseConfig {
    /// `health`: what `homebase sample` measures and the health alert thresholds (docs/health.md).
    package struct HealthSettings: Sendable, Equatable {
        package var gatewayPidFile: String?
        package var gatewayProcess: String? = "openclaw-gateway"
        /// The cron interval: sampling gaps are measured against it.
        package var intervalSeconds = 60.0
        /// Extra directories whose file system is measured, by label; the data dir is always `data`
        /// and the first OpenClaw state dir is `state` unless given here.
        package var diskDirs: [String: String] = [:]
        package var alerts = HealthAlertSettings()
        package init() {}
    }

    /// `health.alerts`: thresholds of the four health rules (the rules' own defaults; read and
    /// written by the rules' field names, e.g. `alerts.diskWarningDays`); `enabled: false` turns them off.
    @dynamicMemberLookup
    package struct HealthAlertSettings: Sendable, Equatable {
        package var enabled = true
        package var rules = HealthRules()
        package init() {}

        package subscript<T>(dynamicMember path: WritableKeyPath<HealthRules, T>) -> T {
            get { rules[keyPath: path] }
            set { rules[keyPath: path] = newValue }
        }
    }

    /// `alerts.pagerduty`: Events API v2. The routing key comes only from the environment
    /// variable named here, never from the file.
    package struct PagerDutySettings: Sendable, Equatable {
        package var routingKeyEnv = "HOMEBASE_PAGERDUTY_KEY"
        package var source: String?
        package var endpoint = "https://events.pagerduty.com/v2/enqueue"
        package var retries = 3
        package init() {}
    }

    /// `alerts.telegram`: Bot API `sendMessage`. The bot token comes only from the environment.
    package struct TelegramSettings: Sendable, Equatable {
        package var botTokenEnv = "HOMEBASE_TELEGRAM_TOKEN"
        /// Nil: `HOMEBASE_TELEGRAM_CHAT_ID` from the environment.
        package var chatId: String?
        package var baseURL = "https://api.telegram.org"
        package var retries = 3
        package init() {}
    }

    static func readHealth(_ h: inout ConfigReader, into c: inout HomeBaseConfig) throws {
        c.health.gatewayPidFile = try h.path("gateway_pid_file")
        if let name = try h.string("gateway_process", expected: "a process name") { c.health.gatewayProcess = name.isEmpty ? nil : name }
        c.health.intervalSeconds = try h.number("interval_s", expected: "seconds", range: 1...86_400) ?? c.health.intervalSeconds
        let base = h
        c.health.diskDirs =
            try h.map("disk_dirs") { label, value, path in
                guard case .string(let dir) = value, !dir.isEmpty, !label.isEmpty else {
                    throw ConfigError(file: base.file, key: path, "expected a directory path for the disk labelled \"\(label)\"")
                }
                return base.resolve(dir)
            } ?? [:]
        try h.object("alerts") { a in
            var s = c.health.alerts
            s.enabled = try a.bool("enabled") ?? s.enabled
            s.diskWarningDays = try a.number("disk_warning_days", expected: "days", range: 0...36500) ?? s.diskWarningDays
            s.diskCriticalDays = try a.number("disk_critical_days", expected: "days", range: 0...36500) ?? s.diskCriticalDays
            s.diskWindowDays = try a.number("disk_window_days", expected: "days", range: 0.01...3650) ?? s.diskWindowDays
            s.memoryWarningPercent = try a.number("memory_warning_pct", expected: "a percentage", range: 0...100) ?? s.memoryWarningPercent
            s.memoryCriticalPercent = try a.number("memory_critical_pct", expected: "a percentage", range: 0...100) ?? s.memoryCriticalPercent
            s.memoryWindowSeconds = try a.number("memory_window_s", expected: "seconds", range: 1...864_000) ?? s.memoryWindowSeconds
            s.restartWarningCount = try a.integer("restart_warning_count", expected: "a count", range: 1...100_000) ?? s.restartWarningCount
            s.restartCriticalCount = try a.integer("restart_critical_count", expected: "a count", range: 1...100_000) ?? s.restartCriticalCount
            s.restartWindowSeconds = try a.number("restart_window_s", expected: "seconds", range: 1...31_536_000) ?? s.restartWindowSeconds
            s.gapFactor = try a.number("gap_factor", expected: "a multiple of interval_s", range: 1...10_000) ?? s.gapFactor
            s.gapWindowSeconds = try a.number("gap_window_s", expected: "seconds", range: 1...31_536_000) ?? s.gapWindowSeconds
            c.health.alerts = s
        }
    }

    static func readOnCall(_ a: inout ConfigReader, into c: inout HomeBaseConfig) throws {
        c.alerts.pagerduty = try a.object("pagerduty") { p in
            var s = PagerDutySettings()
            s.routingKeyEnv = try p.string("routing_key_env", expected: "an environment variable name") ?? s.routingKeyEnv
            s.source = try p.string("source")
            s.endpoint = try p.string("endpoint", expected: "an https URL") ?? s.endpoint
            s.retries = try p.integer("retries", expected: "a retry count", range: 0...10) ?? s.retries
            for secretish in ["routing_key", "integration_key", "key", "token"] where try p.string(secretish) != nil {
                throw ConfigError(
                    file: p.file, key: p.path + "." + secretish,
                    "never put the routing key in the config: export it and name the variable in routing_key_env")
            }
            return s
        }
        c.alerts.telegram = try a.object("telegram") { t in
            var s = TelegramSettings()
            s.botTokenEnv = try t.string("bot_token_env", expected: "an environment variable name") ?? s.botTokenEnv
            s.chatId = try t.string("chat_id", expected: "a chat id (\"-1001234567890\" or \"@channel\")")
            s.baseURL = try t.string("base_url", expected: "an https URL") ?? s.baseURL
            s.retries = try t.integer("retries", expected: "a retry count", range: 0...10) ?? s.retries
            for secretish in ["bot_token", "token"] where try t.string(secretish) != nil {
                throw ConfigError(
                    file: t.file, key: t.path + "." + secretish,
                    "never put the bot token in the config: export it and name the variable in bot_token_env")
            }
            return s
        }
    }
}
