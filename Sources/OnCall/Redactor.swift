/// Replaces secrets in any text that may reach a log, report or error: every occurrence of each
/// secret becomes `<redacted>`.
package struct Redactor: Sendable {
    package var secrets: [String]

    package init(_ secrets: [String]) { self.secrets = secrets.filter { !$0.isEmpty } }

    package func callAsFunction(_ text: String) -> String {
        var out = text
        for secret in secrets { out = out.replacingOccurrences(of: secret, with: "<redacted>") }
        return out
    }
}
