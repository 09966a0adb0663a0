import Foundation

/// Where a report definition (`reports/NAME.json`) or a query (`queries/NAME.sql`) comes from: a
/// user's file of that name in one of `roots` (each a folder that may hold `reports/` and
/// `queries/`), else the copy compiled into the binary. So an installed binary run by cron from
/// any directory finds the shipped files, and a user overrides one by dropping a file of the
/// same name beside the config or in the data directory.
package struct ShippedFiles: Sendable {
    /// Folders searched in order before the compiled-in copies.
    package var roots: [String]

    package init(roots: [String]) { self.roots = roots }

    /// The usual search: beside the config file, the data directory, then the working directory.
    package init(configFile: String?, dataDir: String?) {
        var roots: [String] = []
        if let configFile { roots.append((Self.absolute(configFile) as NSString).deletingLastPathComponent) }
        if let dataDir { roots.append(Self.absolute(dataDir)) }
        roots.append(FileManager.default.currentDirectoryPath)
        var seen = Set<String>()
        self.roots = roots.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// One file found: its text and where it came from (a path, or `built-in:reports/daily.json`).
    package struct File: Sendable, Equatable {
        package var text: String
        package var origin: String
        package var isBuiltIn: Bool { origin.hasPrefix("built-in:") }
    }

    /// `relative` (`reports/daily.json`) from the first root that has it, else the compiled-in copy.
    package func file(_ relative: String) -> File? {
        for root in roots {
            let path = (root as NSString).appendingPathComponent(relative)
            if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
                return File(text: text, origin: path)
            }
        }
        return Self.embedded[relative].map { File(text: $0, origin: "built-in:" + relative) }
    }

    /// The names (file names with `suffix`) in `folder` across the roots and the compiled-in copies, sorted.
    package func names(in folder: String, suffix: String) -> [String] {
        var names = Set(
            Self.embedded.keys.filter { $0.hasPrefix(folder + "/") && $0.hasSuffix(suffix) }.map { String($0.dropFirst(folder.count + 1)) })
        for root in roots {
            let dir = (root as NSString).appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(suffix) { names.insert(name) }
        }
        return names.sorted()
    }

    /// Where the searched folders are, for error messages.
    package func describe(_ folder: String) -> String {
        (roots.map { ($0 as NSString).appendingPathComponent(folder) + "/" } + ["the built-in copies"]).joined(separator: ", ")
    }

    package static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }
}
