import Foundation
import HomeBaseCore
import HostHealth
import Config
import Analytics
import OnCall
import Render

/// Where alerts go: `email` (an `.eml` under `<output>/alerts/`, piped to sendmail when one is
/// configured), `webhook:N` for each configured webhook, `pagerduty` (Events API v2) and
/// `telegram` (Bot API). Each can also take a resolve for an alert that stopped holding.
/// Secrets (routing key, bot token) come only from the environment and never reach an error.
struct AlertChannels {
    let config: HomeBaseConfig
    let today: String
    let now: @Sendable () -> Int64
    let environment: [String: String]
    var sender = WebhookSender()
    /// Injected by tests so retries do not wait.
    var pause: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }

    init(config: HomeBaseConfig, today: String, now: @escaping @Sendable () -> Int64, environment: [String: String] = [:]) {
        self.config = config
        self.today = today
        self.now = now
        self.environment = environment
    }

    var names: [String] {
        (config.email == nil ? [] : ["email"]) + config.alerts.webhooks.indices.map { "webhook:\($0)" }
            + (config.alerts.pagerduty == nil ? [] : ["pagerduty"]) + (config.alerts.telegram == nil ? [] : ["telegram"])
    }

    /// A channel that cannot be used as configured (a secret missing from the environment).
    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    static func onCall(_ alert: Alert) -> OnCallAlert {
        OnCallAlert(key: alert.key, rule: alert.rule, severity: alert.severity, title: alert.title, detail: alert.detail)
    }

    func deliver(_ alerts: [Alert], on channel: String) throws {
        if channel == "email", let email = config.email {
            let bytes = try message(alerts, email: email)
            try writeMail(bytes, name: "alerts-\(today).eml", email: email)
            return
        }
        if channel == "pagerduty" {
            let client = try pagerDuty()
            for alert in alerts { try client.trigger(Self.onCall(alert), nowMicros: now()) }
            return
        }
        if channel == "telegram" {
            try telegram().send(markdown: AlertMessage.telegram(alerts.map(Self.onCall), heading: config.email?.subjectPrefix ?? "[Home Base]"))
            return
        }
        guard let hook = webhook(channel) else { return }
        let subject = config.email?.subjectPrefix ?? "[Home Base]"
        try sender.post(
            WebhookPayload.body(alerts, format: hook.format, subjectPrefix: subject), to: hook.url,
            timeoutSeconds: hook.timeoutSeconds, retries: hook.retries)
    }

    /// One resolve per alert: a PagerDuty `resolve`, a Telegram / Slack / Discord / JSON note, or
    /// one e-mail listing them.
    func resolve(_ alerts: [OnCallAlert], on channel: String) throws {
        let at = now()
        if channel == "email", let email = config.email {
            let subject = "\(email.subjectPrefix) \(alerts.count) alert\(alerts.count == 1 ? "" : "s") resolved"
            let lines = alerts.map { AlertMessage.resolved($0, nowMicros: at) }
            let text = lines.joined(separator: "\n") + "\n"
            let html =
                "<!DOCTYPE html><html><body><h2>\(XMLText.text(subject))</h2><ul>"
                + lines.map { "<li>\(XMLText.text($0))</li>" }.joined() + "</ul></body></html>"
            let mail = MailMessage(
                from: MailAddress(email.from), to: email.to.map { MailAddress($0) }, subject: subject,
                text: text, html: html, attachments: [], dateMicros: at)
            try writeMail(try MIMEWriter(seed: UInt64(bitPattern: at)).write(mail), name: "resolved-\(today).eml", email: email)
            return
        }
        if channel == "pagerduty" {
            let client = try pagerDuty()
            for alert in alerts { try client.resolve(alertKey: alert.key) }
            return
        }
        if channel == "telegram" {
            let client = try telegram()
            for alert in alerts { try client.send(markdown: AlertMessage.telegramResolved(alert, nowMicros: at)) }
            return
        }
        guard let hook = webhook(channel) else { return }
        for alert in alerts {
            try sender.post(
                AlertMessage.webhookBody(alert, format: hook.format, nowMicros: at), to: hook.url,
                timeoutSeconds: hook.timeoutSeconds, retries: hook.retries)
        }
    }

    private func webhook(_ channel: String) -> HomeBaseConfig.Webhook? {
        guard channel.hasPrefix("webhook:"), let index = Int(channel.dropFirst("webhook:".count)),
            config.alerts.webhooks.indices.contains(index)
        else { return nil }
        return config.alerts.webhooks[index]
    }

    func pagerDuty() throws -> PagerDutyClient {
        guard let settings = config.alerts.pagerduty else { throw Unusable(description: "pagerduty: not configured") }
        guard let key = environment[settings.routingKeyEnv], !key.isEmpty else {
            throw Unusable(
                description:
                    "pagerduty: the environment variable \(settings.routingKeyEnv) is not set (export the integration key of an Events API v2 integration; alerts.pagerduty.routing_key_env names it)"
            )
        }
        var client = PagerDutyClient(routingKey: key, source: settings.source ?? HostSampler.hostName(), endpoint: settings.endpoint)
        client.retries = settings.retries
        client.pause = pause
        return client
    }

    func telegram() throws -> TelegramClient {
        guard let settings = config.alerts.telegram else { throw Unusable(description: "telegram: not configured") }
        guard let token = environment[settings.botTokenEnv], !token.isEmpty else {
            throw Unusable(
                description:
                    "telegram: the environment variable \(settings.botTokenEnv) is not set (export the bot token from @BotFather; alerts.telegram.bot_token_env names it)"
            )
        }
        guard let chat = settings.chatId ?? environment["HOMEBASE_TELEGRAM_CHAT_ID"], !chat.isEmpty else {
            throw Unusable(description: "telegram: no chat id (set alerts.telegram.chat_id or HOMEBASE_TELEGRAM_CHAT_ID)")
        }
        var client = TelegramClient(token: token, chatId: chat, baseURL: settings.baseURL)
        client.retries = settings.retries
        client.pause = pause
        return client
    }

    /// The secrets the channels use, for scrubbing any text that reaches the log.
    var secrets: [String] {
        [config.alerts.pagerduty.flatMap { environment[$0.routingKeyEnv] }, config.alerts.telegram.flatMap { environment[$0.botTokenEnv] }]
            .compactMap { $0 }
    }

    private func writeMail(_ bytes: [UInt8], name: String, email: HomeBaseConfig.EmailSettings) throws {
        try FileManager.default.createDirectory(atPath: config.outputDir + "/alerts", withIntermediateDirectories: true)
        try AtomicFile.write(Data(bytes), to: config.outputDir + "/alerts/" + name)
        if let command = email.sendmail { try MailDelivery.sendmail(command: command, message: bytes) }
    }

    private func message(_ alerts: [Alert], email: HomeBaseConfig.EmailSettings) throws -> [UInt8] {
        let critical = alerts.contains { $0.severity == "critical" }
        let subject = "\(email.subjectPrefix) \(alerts.count) alert\(alerts.count == 1 ? "" : "s")\(critical ? " (critical)" : "") for \(today)"
        let text = alerts.map { "[\($0.severity)] \($0.title)\n    \($0.detail)" }.joined(separator: "\n\n") + "\n"
        let items = alerts.map { "<li><b>\(XMLText.text($0.title))</b> (\($0.severity))<br>\(XMLText.text($0.detail))</li>" }
        let html = "<!DOCTYPE html><html><body><h2>\(XMLText.text(subject))</h2><ul>\(items.joined())</ul></body></html>"
        let mail = MailMessage(
            from: MailAddress(email.from), to: email.to.map { MailAddress($0) }, subject: subject,
            text: text, html: html, attachments: [], dateMicros: now())
        return try MIMEWriter(seed: UInt64(bitPattern: now())).write(mail)
    }
}
