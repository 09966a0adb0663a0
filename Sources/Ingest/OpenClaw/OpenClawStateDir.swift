import Foundation

/// Where OpenClaw keeps its state when the config names no directory.
package enum OpenClawStateDir {
    /// `$OPENCLAW_STATE_DIR`, else `~/.openclaw`, else the legacy `~/.clawdbot` when only it exists.
    package static func defaultStateDir(_ environment: [String: String]) -> String {
        if let dir = environment["OPENCLAW_STATE_DIR"] ?? environment["CLAWDBOT_STATE_DIR"], !dir.isEmpty { return dir }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let modern = home + "/.openclaw"
        if FileManager.default.fileExists(atPath: modern) { return modern }
        for legacy in [".clawdbot", ".moltbot", ".moldbot"] where FileManager.default.fileExists(atPath: home + "/" + legacy) {
            return home + "/" + legacy
        }
        return modern
    }
}
