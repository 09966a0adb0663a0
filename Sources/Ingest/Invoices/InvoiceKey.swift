/// The supersession key of a row: `provider|dataset|YYYY-MM-DD` (provider lowercased).
enum InvoiceKey {
    static func of(_ line: InvoiceLine, date: String) -> String {
        providerDataset(line.serviceProviderName, line.dataset.rawValue) + "|" + date
    }

    static func providerDataset(_ provider: String, _ dataset: String) -> String { provider.lowercased() + "|" + dataset }

    static func split(_ key: String) -> (providerDataset: String, date: String) {
        guard let bar = key.lastIndex(of: "|") else { return (key, "") }
        return (String(key[..<bar]), String(key[key.index(after: bar)...]))
    }
}
