import Foundation
import HomeBaseCore
import SQLiteStore

/// A query file of `queries/`: its SQL and what its header comment says (a one-line summary first,
/// then `--   :name  what it is (default VALUE)` lines under `-- Parameters:`).
package struct NamedQuery: Sendable, Equatable {
    package struct Parameter: Sendable, Equatable {
        package var name: String
        package var help: String
        package var defaultValue: String?
    }

    package var name: String
    package var path: String
    package var summary: String
    package var parameters: [Parameter]
    package var sql: String

    /// Reads and parses one query file.
    package static func load(path: String) throws -> NamedQuery {
        parse(sql: try String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    /// Parses a query's text; `path` (a file, or `built-in:queries/NAME.sql`) gives its name.
    package static func parse(sql: String, path: String) -> NamedQuery {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var summary = ""
        var parameters: [Parameter] = []
        // Lines end in LF, CRLF (a file saved on Windows: "\r\n" is one Character, no "\n") or CR.
        for line in sql.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            guard line.hasPrefix("--") else { break }  // the header ends at the first line of SQL
            let text = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if summary.isEmpty, !text.isEmpty { summary = text; continue }
            guard text.hasPrefix(":") else { continue }
            let words = text.dropFirst().split(separator: " ", maxSplits: 1)
            guard let first = words.first else { continue }
            let help = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
            var defaultValue: String?
            if let range = help.range(of: "(default ", options: .backwards), help.hasSuffix(")") {
                defaultValue = String(help[range.upperBound..<help.index(before: help.endIndex)])
            }
            parameters.append(Parameter(name: String(first), help: help, defaultValue: defaultValue))
        }
        return NamedQuery(name: name, path: path, summary: summary, parameters: parameters, sql: sql)
    }

    /// Every `*.sql` in `directory`, by name.
    package static func list(directory: String) throws -> [NamedQuery] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }.sorted()
        return try names.map { try load(path: directory + "/" + $0) }
    }

    /// Every query in `queries/` of the roots and the built-in ones, by name (a user's file over the built-in one).
    package static func list(files: ShippedFiles) -> [NamedQuery] {
        files.names(in: "queries", suffix: ".sql").compactMap { name in
            files.file("queries/" + name).map { parse(sql: $0.text, path: $0.origin) }
        }
    }

    /// The parameters to bind: the given ones over the header's defaults.
    package func parameters(given: [String: SQLiteValue]) -> [String: SQLiteValue] {
        var values = given
        for parameter in parameters where values[parameter.name] == nil {
            if let value = parameter.defaultValue { values[parameter.name] = QueryEngine.parameterValue(value) }
        }
        return values
    }
}
