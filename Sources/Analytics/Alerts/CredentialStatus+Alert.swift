extension CredentialStatus {
    /// The alert for a key that is not ok (critical once expired or overdue), nil for an ok key;
    /// shared by the nightly alert channels and the report e-mail.
    package var alert: Alert? {
        guard status != .ok else { return nil }
        let when = dueDate.map { " (\($0))" } ?? ""
        let label = status.rawValue.replacingOccurrences(of: "_", with: " ")
        return Alert(
            rule: "credential", key: "credential:\(keyID):\(status.rawValue)",
            severity: status == .expired || status == .rotationOverdue ? "critical" : "warning",
            title: "\(provider) key \(keyID): \(label)\(when)", detail: problem ?? "rotate the key and update the inventory")
    }
}
