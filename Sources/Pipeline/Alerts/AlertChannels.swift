import Foundation
import HomeBaseCore
import Config
import Analytics
import Render

/// Where alerts go: `email` (an `.eml` under `<output>/alerts/`, piped to sendmail when one is
/// configured) and `webhook:N` for each configured webhook.
struct AlertChannels {
    let config: HomeBaseConfig
    let today: String
    let now: @Sendable () -> Int64
    var sender = WebhookSender()

    init(config: HomeBaseConfig, today: String, now: @escaping @Sendable () -> Int64) {
        self.config = config
        self.today = today
        self.now = now
    }

    var names: [String] {
        (config.email == nil ? [] : ["email"]) + config.alerts.webhooks.indices.map { "webhook:\($0)" }
    }

    func deliver(_ alerts: [Alert], on channel: String) throws {
        if channel == "email", let email = config.email {
            let bytes = try message(alerts, email: email)
            let path = config.outputDir + "/alerts/alerts-\(today).eml"
            try FileManager.default.createDirectory(atPath: config.outputDir + "/alerts", withIntermediateDirectories: true)
            try AtomicFile.write(Data(bytes), to: path)
            if let command = email.sendmail { try MailDelivery.sendmail(command: command, message: bytes) }
            return
        }
        guard channel.hasPrefix("webhook:"), let index = Int(channel.dropFirst("webhook:".count)),
            config.alerts.webhooks.indices.contains(index)
        else { return }
        let hook = config.alerts.webhooks[index]
        let subject = config.email?.subjectPrefix ?? "[Home Base]"
        try sender.post(
            WebhookPayload.body(alerts, format: hook.format, subjectPrefix: subject), to: hook.url,
            timeoutSeconds: hook.timeoutSeconds, retries: hook.retries)
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
