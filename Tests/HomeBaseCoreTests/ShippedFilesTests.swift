import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Query
@testable import Render
@testable import Reports
@testable import HomeBaseCLI
@testable import TestSupport

/// The report definitions and queries compiled into the binary, and how a user's file of the same
/// name wins over them.
@Suite struct ShippedFilesTests {
    static let root = PythonOracle.repositoryRoot.path

    /// The embedded copy is byte-for-byte the files in reports/ and queries/ (run
    /// `python3 Tests/tools/embed_shipped.py` after changing one).
    @Test func embeddedCopyEqualsTheFiles() throws {
        var onDisk: [String: String] = [:]
        for (folder, suffix) in [("reports", ".json"), ("queries", ".sql")] {
            for name in try FileManager.default.contentsOfDirectory(atPath: Self.root + "/" + folder) where name.hasSuffix(suffix) {
                onDisk[folder + "/" + name] = try String(contentsOfFile: Self.root + "/" + folder + "/" + name, encoding: .utf8)
            }
        }
        #expect(onDisk.count >= 14)
        #expect(Set(ShippedFiles.embedded.keys) == Set(onDisk.keys), "run python3 Tests/tools/embed_shipped.py")
        for (path, text) in onDisk {
            #expect(ShippedFiles.embedded[path] == text, "\(path) differs from its embedded copy: run python3 Tests/tools/embed_shipped.py")
        }
    }

    /// With no file in any root the built-in copy is used; a user's file of the same name in a root wins,
    /// earlier roots first; other names keep the built-in copy.
    @Test func userFilesOverrideByName() throws {
        let dir = TemporaryDirectory("homebase-shipped")
        defer { dir.remove() }
        let nothing = ShippedFiles(roots: [dir.path + "/none"])
        let builtIn = try #require(nothing.file("reports/daily.json"))
        #expect(builtIn.isBuiltIn && builtIn.origin == "built-in:reports/daily.json")
        #expect(builtIn.text == (try String(contentsOfFile: Self.root + "/reports/daily.json", encoding: .utf8)))

        for sub in ["etc/reports", "data/reports"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
        }
        try "{\"title\": \"etc\", \"sections\": [{\"title\": \"a\", \"show\": \"headline\"}]}".write(
            toFile: dir.path + "/etc/reports/daily.json", atomically: true, encoding: .utf8)
        try "{\"title\": \"data\", \"sections\": [{\"title\": \"a\", \"show\": \"headline\"}]}".write(
            toFile: dir.path + "/data/reports/daily.json", atomically: true, encoding: .utf8)
        try "{\"title\": \"mine\", \"sections\": [{\"title\": \"a\", \"show\": \"headline\"}]}".write(
            toFile: dir.path + "/data/reports/mine.json", atomically: true, encoding: .utf8)
        let files = ShippedFiles(configFile: dir.path + "/etc/homebase.json", dataDir: dir.path + "/data")
        #expect(Array(files.roots.prefix(2)) == [dir.path + "/etc", dir.path + "/data"])
        #expect(try ReportDefinition.named("daily", period: .daily, files: files).0.title == "etc")
        #expect(try ReportDefinition.named(nil, period: .daily, files: ShippedFiles(roots: [dir.path + "/data"])).0.title == "data")
        #expect(
            try ReportDefinition.named(nil, period: .weekly, files: ShippedFiles(roots: Array(files.roots.prefix(2)))).1
                == "built-in:reports/weekly.json")
        #expect(files.names(in: "reports", suffix: ".json") == ["daily.json", "mine.json", "monthly-finance.json", "weekly.json"])
        // An unknown name says where it looked and which names exist.
        let thrown = #expect(throws: RenderError.self) { try ReportDefinition.named("nope", period: .daily, files: files) }
        let message = thrown?.message ?? ""
        #expect(
            message.contains("no report definition 'nope'") && message.contains(dir.path + "/etc/reports/") && message.contains("mine"), "\(message)")
    }

    /// `homebase query --file NAME` and `--list` reach the built-in queries from any directory.
    @Test func queryCommandFindsBuiltInQueries() throws {
        let dir = TemporaryDirectory("homebase-shipped-query")
        defer { dir.remove() }
        let found = try QueryCommand.locate("cost_by_agent", in: ShippedFiles(roots: [dir.path]), only: nil)
        #expect(found.path == "built-in:queries/cost_by_agent.sql")
        #expect(found.sql == (try String(contentsOfFile: Self.root + "/queries/cost_by_agent.sql", encoding: .utf8)))
        try FileManager.default.createDirectory(atPath: dir.path + "/queries", withIntermediateDirectories: true)
        try "-- mine\nSELECT 1;\n".write(toFile: dir.path + "/queries/cost_by_agent.sql", atomically: true, encoding: .utf8)
        #expect(try QueryCommand.locate("cost_by_agent.sql", in: ShippedFiles(roots: [dir.path]), only: nil).summary == "mine")
        let names = NamedQuery.list(files: ShippedFiles(roots: [dir.path])).map(\.name)
        let expected = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/queries").filter { $0.hasSuffix(".sql") }
            .map { String($0.dropLast(4)) }.sorted()
        #expect(names == expected)
    }
}
