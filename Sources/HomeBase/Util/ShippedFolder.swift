import Foundation

/// The folders that ship beside the binary (`queries/`, `reports/`): `./NAME` when the working
/// directory has one (a user's own), else `NAME` in the repository holding the binary
/// (`.build/<config>/homebase`), so cron jobs started from `$HOME` find them too.
package enum ShippedFolder {
    package static func path(_ name: String) -> String {
        if FileManager.default.fileExists(atPath: name) { return name }
        let binary = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let repository = binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.appendingPathComponent(name).path
    }
}
