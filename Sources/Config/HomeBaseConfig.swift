import Foundation
import ObjectStore
import Lake

/// Everything `homebase nightly` and the stages read from the one JSON config file. Defaults work
/// with no file at all; every key is optional. Paths are resolved against the file's directory.
package struct HomeBaseConfig: Sendable, Equatable {
    package var file: String?
    package var openclawDirs: [String] = []
    package var gatewayLogDirs: [String] = []
    package var invoiceDirs: [String] = []
    package var dataDir = "./homebase-data"
    package var outputDir = "./homebase-reports"
    /// IANA zone that days are bucketed in for analysis and reports (storage stays UTC).
    package var timeZone = "UTC"
    package var currency = "USD"
    package var budgets = Budgets()
    package var priceFile: String?
    package var priceOverrides: [String: ModelPrice] = [:]
    /// Invoice or display model name → the API alias the logs use.
    package var modelAliases: [String: String] = [:]
    package var alerts = AlertRules()
    package var reports = ReportSchedule()
    package var email: EmailSettings?
    package var backup = BackupSettings()
    /// `lake_mirror`: where `nightly` pushes the lake after each run (`s3://bucket/prefix`), if anywhere.
    package var lakeMirror: String?
    package var credentials: [Credential] = []
    package var health = HealthSettings()

    package init() {}

    /// Monthly budgets in USD, overall and per agent id.
    package struct Budgets: Sendable, Equatable {
        package var monthlyUSD: Double?
        package var agents: [String: Double] = [:]
        package init(monthlyUSD: Double? = nil, agents: [String: Double] = [:]) {
            self.monthlyUSD = monthlyUSD
            self.agents = agents
        }
    }

    /// When an alert fires; a nil threshold disables that rule.
    package struct AlertRules: Sendable, Equatable {
        package var budgetPercent: Double? = 90
        package var projectedOverrun = true
        package var anomalyScore: Double? = 3.5
        /// Materiality floor of listed anomalies: the smallest change in dollars and in calls.
        package var anomalyMinimumUSD: Double?
        package var anomalyMinimumCalls: Double?
        /// The `anomalies` object: the scorer's alert |z| (overrides `anomaly_score`) and level-shift rule.
        package var anomalyAlertZ: Double?
        package var anomalyShiftZ: Double?
        package var anomalyShiftConfirm: Int?
        package var p95LatencyMs: Double?
        package var errorRate: Double? = 0.2
        package var reconciliationGapPercent: Double? = 2
        package var credentialDays: Int? = 14
        package var dataQuality = true
        package var webhooks: [Webhook] = []
        package var pagerduty: PagerDutySettings?
        package var telegram: TelegramSettings?
        package init() {}
    }

    /// A webhook that receives alerts as a JSON POST.
    package struct Webhook: Sendable, Equatable {
        package var url: String
        /// `json` (our own body), `slack` (`{"text":…}`) or `discord` (`{"content":…}`).
        package var format = "json"
        package var timeoutSeconds = 10.0
        package var retries = 2
        package init(url: String) { self.url = url }
    }

    /// Which reports `nightly` renders and in which formats.
    package struct ReportSchedule: Sendable, Equatable {
        package var daily = true
        /// ISO weekday of the weekly report and e-mail: 1 = Monday … 7 = Sunday; nil disables it.
        package var weeklyOn: Int? = 1
        package var monthly = true
        package var formats = ["html", "pdf", "csv", "xlsx"]
        /// `reports.font`: the TrueType file the PDF embeds, or "standard" for Helvetica; nil: the system's DejaVu Sans (+ Droid Sans Fallback).
        package var font: String?
        /// `reports.csv_bom`: CSV files start with a UTF-8 byte-order mark, so Excel on Windows reads them as UTF-8.
        package var csvByteOrderMark = false
        package init() {}
    }

    /// Where the weekly e-mail goes; without `sendmail` it is only written as an `.eml` file.
    package struct EmailSettings: Sendable, Equatable {
        package var from: String
        package var to: [String]
        package var subjectPrefix = "[Home Base]"
        package var sendmail: String?
        /// `email.reports`: which scheduled reports are e-mailed (`daily`, `weekly`, `monthly`); the weekly one by default.
        package var reports = ["weekly"]
        package init(from: String, to: [String]) {
            self.from = from
            self.to = to
        }
    }

    /// Where backups go and how many of each age are kept.
    package struct BackupSettings: Sendable, Equatable {
        package var dir: String?
        package var keepDaily = 7
        package var keepWeekly = 4
        package var keepMonthly = 12
        /// `backup.s3`: endpoint, region and credential names for an `s3://` dir (and `lake_mirror`).
        package var s3: S3Settings?
        package init() {}
    }

    /// Metadata of one API key (never the secret itself), for rotation reminders.
    package struct Credential: Sendable, Equatable {
        package var keyID: String
        package var provider: String
        package var created: String
        package var expires: String?
        package var rotateAfterDays: Int?
        /// `agents`: the agents whose OpenClaw auth profile for `provider` is this key; their logged calls
        /// count as this key's. Empty: every agent's calls to `provider`.
        package var agents: [String] = []
        /// `invoice_names`: how invoices name this key (OpenRouter `api_key_name`, Anthropic key name,
        /// OpenAI/Anthropic key or project id); `key_id` itself always matches.
        package var invoiceNames: [String] = []
        /// `monthly_limit_usd`: budget alerts when the key's invoiced (else logged) spend this month nears it.
        package var monthlyLimitUSD: Double?
        package init(keyID: String, provider: String, created: String) {
            self.keyID = keyID
            self.provider = provider
            self.created = created
        }
    }
}
