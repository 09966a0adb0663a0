import Foundation
import HomeBaseCore

/// Sends trigger and resolve events to PagerDuty's Events API v2. 202 is success; 400 is not
/// retried (a bad routing key or payload); 429 and 5xx and network failures are retried with
/// exponential backoff (or `Retry-After` when sent). The routing key never appears in errors.
package struct PagerDutyClient: Sendable {
    package static let defaultEndpoint = "https://events.pagerduty.com/v2/enqueue"

    package var routingKey: String
    /// Overridable so tests can point it at a local server.
    package var endpoint: String
    /// `payload.source`: the host the alerts are about.
    package var source: String
    package var retries = 3
    package var transport = HTTPTransport()
    /// Pause before a retry, in seconds (injected so tests do not wait).
    package var pause: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// The longest single pause, whatever `Retry-After` says.
    package var maxPauseSeconds = 60.0

    package init(routingKey: String, source: String, endpoint: String = PagerDutyClient.defaultEndpoint) {
        self.routingKey = routingKey
        self.source = source
        self.endpoint = endpoint
    }

    /// Opens (or updates) the incident of `alert`.
    package func trigger(_ alert: OnCallAlert, nowMicros: Int64) throws(OnCallError) {
        try send(PagerDutyEvent.trigger(alert, routingKey: routingKey, source: source, timestampMicros: nowMicros))
    }

    /// Resolves the incident of the alert with `key`.
    package func resolve(alertKey: String) throws(OnCallError) {
        try send(PagerDutyEvent.resolve(alertKey: alertKey, routingKey: routingKey))
    }

    private func failure(_ attempts: Int, _ reason: String, _ fix: String) -> OnCallError {
        let redact = Redactor([routingKey])
        return OnCallError(channel: "pagerduty", target: redact(endpoint), attempts: attempts, reason: redact(reason), fix: fix)
    }

    func send(_ body: String) throws(OnCallError) {
        guard let url = URL(string: endpoint) else {
            throw failure(0, "not a valid URL", "set oncall.pagerduty.endpoint to an https URL, or leave it out")
        }
        var reason = ""
        for attempt in 1...(retries + 1) {
            switch transport.post(Data(body.utf8), to: url) {
            case .failure(let error):
                reason = error.message
            case .success(let response) where (200..<300).contains(response.status):
                return
            case .success(let response):
                reason = "HTTP \(response.status)" + Self.message(response.body)
                if response.status == 429 || response.status >= 500 {
                    if attempt <= retries { pause(min(maxPauseSeconds, Self.retryAfter(response) ?? backoff(attempt))) }
                    continue
                }
                throw failure(
                    attempt, reason,
                    response.status == 400
                        ? "check oncall.pagerduty.routing_key is the 32-character integration key of an Events API v2 integration"
                        : "not retried; check the endpoint and routing key")
            }
            if attempt <= retries { pause(min(maxPauseSeconds, backoff(attempt))) }
        }
        throw failure(retries + 1, reason, "PagerDuty unreachable or throttling; the alert stays pending and is sent next run")
    }

    /// 1, 2, 4, … seconds.
    func backoff(_ attempt: Int) -> Double { Double(1 << min(attempt - 1, 10)) }

    static func retryAfter(_ response: HTTPTransport.Response) -> Double? {
        response.headers["retry-after"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// `: <message>; <errors…>` from PagerDuty's JSON error body, or "" when there is none.
    static func message(_ body: Data) -> String {
        guard let value = try? JSONValue.parse(String(decoding: body, as: UTF8.self)) else { return "" }
        var parts: [String] = []
        if let message = value["message"]?.stringValue { parts.append(message) }
        if case .array(let errors)? = value["errors"] { parts += errors.compactMap(\.stringValue) }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: "; ")
    }
}
