import ObjectStore

/// The one place a path typed by the user is checked for a URL scheme. Every command's path flags
/// go through it (from `ArgumentScanner.scan`), and commands pass their path arguments to it: a
/// local path is returned unchanged, `s3://bucket/prefix` only where a location is allowed (backup
/// directories, `lake push`), and any other `scheme://` (`gs://`, `http://`, `ftp://`, `s3:/x`)
/// is a usage error (exit 2) with a one-line reason — never a relative directory named `gs:`.
package enum StoragePaths {
    /// Flag names that take a path in some command. Values of these flags are checked in every
    /// command (a date flag such as `--from` in `analyze` never looks like `scheme:/`, so it passes).
    package static let pathFlags: Set<String> = [
        "data", "out", "to", "from", "config", "openclaw", "gateway-logs", "invoices", "queries", "series", "backups", "backup-dir",
        "prices", "file", "definition"
    ]

    /// A local path: `file:///x` becomes `/x`; `s3://` and other schemes are refused.
    package static func local(_ text: String, what: String) throws(UsageError) -> String {
        switch try location(text, what: what) {
        case .local(let path): return path
        case .s3:
            throw UsageError("\(what): '\(text)': takes a local path; s3:// is accepted only for backup locations and lake push")
        }
    }

    /// A local directory or `s3://bucket/prefix`; other schemes refused.
    package static func location(_ text: String, what: String) throws(UsageError) -> StorageLocation {
        do { return try StorageLocation.parse(text) } catch { throw UsageError("\(what): \(error.description)") }
    }

    /// Checks the path flags of a scan: those in `locations` may be s3://, the others must be local
    /// (and `file:///x` is rewritten to `/x`).
    static func check(_ parsed: inout ParsedArguments, locations: Set<String>) throws(UsageError) {
        for (name, values) in parsed.values.sorted(by: { $0.key < $1.key }) where pathFlags.contains(name) {
            var checked: [String] = []
            for value in values {
                if locations.contains(name) {
                    _ = try location(value, what: "--\(name)")
                    checked.append(value)
                } else {
                    checked.append(try local(value, what: "--\(name)"))
                }
            }
            parsed.values[name] = checked
        }
    }
}
