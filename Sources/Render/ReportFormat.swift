import Foundation

/// The output formats of `homebase report --formats`.
package enum ReportFormat: String, Sendable, CaseIterable {
    case html, pdf, csv, xlsx, eml

    /// Parses "html,pdf,csv"; throws on an unknown name, listing the known ones.
    package static func parseList(_ text: String) throws(RenderError) -> [ReportFormat] {
        var formats: [ReportFormat] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            guard let format = ReportFormat(rawValue: name) else {
                throw RenderError("unknown format '\(name)' (known: \(allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !formats.contains(format) { formats.append(format) }
        }
        guard !formats.isEmpty else { throw RenderError("no format given (known: \(allCases.map(\.rawValue).joined(separator: ", ")))") }
        return formats
    }
}
