/// Why an analysis could not run, with what to do about it.
package enum AnalysisError: Error, CustomStringConvertible, Equatable {
    case badPart(file: String, reason: String)
    case unknownTimeZone(String)
    case badDate(String)
    /// More days than an analysis can take at once (the trend statistics are quadratic in days).
    case rangeTooLong(from: String, to: String, days: Int, limit: Int)
    /// The temporary file the correlation's pairs were written to could not be read back.
    case spillUnreadable(directory: String)

    package var description: String {
        switch self {
        case .badPart(let file, let reason):
            "\(file): unexpected requests part (\(reason)); was it written by another tool? Re-run homebase ingest."
        case .unknownTimeZone(let name):
            "unknown time zone '\(name)': use an IANA name such as UTC, Europe/Berlin or America/New_York"
        case .badDate(let text):
            "invalid date '\(text)': expected YYYY-MM-DD"
        case .rangeTooLong(let from, let to, let days, let limit):
            "the days to analyse run from \(from) to \(to) (\(days) days); analyse at most \(limit) days at a time with --from and --to"
                + " (a call dated far from the rest? homebase query \"SELECT ts, source_file, source_line FROM requests ORDER BY ts DESC LIMIT 5\")"
        case .spillUnreadable(let directory):
            "a temporary file in \(directory) could not be read back (disk full or failing?); free space there or set TMPDIR to another directory, then run again"
        }
    }
}
