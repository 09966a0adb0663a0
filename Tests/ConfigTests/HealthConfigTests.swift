import Foundation
import Testing
@testable import Config
@testable import TestSupport

/// `health` and the on-call channels of `alerts`: defaults, values, relative paths, and secrets refused.
@Suite struct HealthConfigTests {
    @Test func defaultsAndValues() throws {
        let defaults = try HomeBaseConfig.parse("{}", baseDir: "/etc/hb")
        #expect(defaults.health.intervalSeconds == 60 && defaults.health.gatewayProcess == "openclaw-gateway")
        #expect(defaults.health.alerts.diskWarningDays == 14 && defaults.health.alerts.enabled)
        #expect(defaults.alerts.pagerduty == nil && defaults.alerts.telegram == nil)
        let text = #"""
            {"health": {"gateway_pid_file": "run/gw.pid", "gateway_process": "", "interval_s": 30,
                        "disk_dirs": {"state": "~/oc", "logs": "/var/log"},
                        "alerts": {"enabled": false, "disk_warning_days": 7, "memory_warning_pct": 80, "restart_critical_count": 5, "gap_window_s": 600}},
             "alerts": {"pagerduty": {"source": "gw-01", "retries": 1},
                        "telegram": {"chat_id": "-100123", "bot_token_env": "TG"}}}
            """#
        let config = try HomeBaseConfig.parse(text, baseDir: "/etc/hb")
        #expect(config.health.gatewayPidFile == "/etc/hb/run/gw.pid")
        #expect(config.health.gatewayProcess == nil)
        #expect(config.health.intervalSeconds == 30)
        #expect(config.health.diskDirs["logs"] == "/var/log")
        #expect(config.health.diskDirs["state"]?.hasSuffix("/oc") == true && config.health.diskDirs["state"]?.hasPrefix("~") == false)
        let a = config.health.alerts
        #expect(!a.enabled && a.diskWarningDays == 7 && a.memoryWarningPercent == 80 && a.restartCriticalCount == 5 && a.gapWindowSeconds == 600)
        #expect(a.diskCriticalDays == 3)  // untouched keys keep their defaults
        #expect(config.alerts.pagerduty?.routingKeyEnv == "HOMEBASE_PAGERDUTY_KEY" && config.alerts.pagerduty?.source == "gw-01")
        #expect(config.alerts.pagerduty?.retries == 1 && config.alerts.pagerduty?.endpoint == "https://events.pagerduty.com/v2/enqueue")
        #expect(config.alerts.telegram?.botTokenEnv == "TG" && config.alerts.telegram?.chatId == "-100123")
    }

    @Test(arguments: [
        (#"{"alerts": {"pagerduty": {"routing_key": "abc"}}}"#, "alerts.pagerduty.routing_key", "never put the routing key"),
        (#"{"alerts": {"telegram": {"bot_token": "1:x"}}}"#, "alerts.telegram.bot_token", "never put the bot token"),
        (#"{"health": {"interval_s": 0}}"#, "health.interval_s", "seconds"),
        (#"{"health": {"alerts": {"memory_warning_pct": 120}}}"#, "health.alerts.memory_warning_pct", "percentage"),
        (#"{"health": {"disk_dirs": {"x": 3}}}"#, "health.disk_dirs.x", "directory path"),
        (#"{"health": {"gateway": "x"}}"#, "health.gateway", "unknown key")
    ])
    func mistakesNameTheKey(text: String, key: String, message: String) {
        do {
            _ = try HomeBaseConfig.parse(text)
            Issue.record("accepted \(text)")
        } catch let error as ConfigError {
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(!error.message.contains("1:x") && !error.message.contains("\"abc\""))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
