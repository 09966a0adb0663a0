/// Why an analysis could not run, with what to do about it.
package enum AnalysisError: Error, CustomStringConvertible, Equatable {
    case badPart(file: String, reason: String)
    case unknownTimeZone(String)
    case badDate(String)

    package var description: String {
        switch self {
        case .badPart(let file, let reason):
            "\(file): unexpected requests part (\(reason)); was it written by another tool? Re-run homebase ingest."
        case .unknownTimeZone(let name):
            "unknown time zone '\(name)': use an IANA name such as UTC, Europe/Berlin or America/New_York"
        case .badDate(let text):
            "invalid date '\(text)': expected YYYY-MM-DD"
        }
    }
}
