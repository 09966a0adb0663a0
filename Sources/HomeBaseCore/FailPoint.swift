import Foundation

/// Named points where a test can stop a run dead, so a kill lands at a known place instead of
/// at a random delay that may fall before or after the run: with `HOMEBASE_FAILPOINT=<name>` and
/// `HOMEBASE_FAILPOINT_FILE=<path>` in the environment, reaching `<name>` creates `<path>` and
/// waits there until the process is killed. Unset (always, outside tests), it does nothing.
package enum FailPoint {
    private static let armed: (name: String, file: String)? = {
        let environment = ProcessEnvironment.current
        guard let name = environment["HOMEBASE_FAILPOINT"], !name.isEmpty,
            let file = environment["HOMEBASE_FAILPOINT_FILE"], !file.isEmpty
        else { return nil }
        return (name, file)
    }()

    /// Stops here for good when this point is armed.
    package static func reached(_ name: String) {
        guard let armed, armed.name == name else { return }
        _ = FileManager.default.createFile(atPath: armed.file, contents: Data(name.utf8))
        while true { sleep(60) }
    }
}
