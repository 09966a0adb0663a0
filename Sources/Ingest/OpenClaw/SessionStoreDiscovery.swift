import Foundation

/// One OpenClaw per-agent SQLite session store (openclaw-logs.md §1.3).
package struct SessionStoreFile: Sendable, Equatable {
    /// `<stateDir>/agents/<agentId>/agent/openclaw-agent.sqlite`.
    package var path: String
    package var agentId: String
    /// `<stateDir>/agents/<agentId>`: a JSONL file under `<agentDir>/sessions/` belongs to the same agent.
    package var agentDir: String

    package init(path: String, agentId: String, agentDir: String) {
        self.path = path
        self.agentId = agentId
        self.agentDir = agentDir
    }
}

/// Finds the SQLite session stores of newer OpenClaw builds under a state directory.
package enum SessionStoreDiscovery {
    package static let fileName = "openclaw-agent.sqlite"
    /// Where OpenClaw's migration moves the JSONL files it imported (never read: the rows are in SQLite).
    package static let importArchive = "session-sqlite-import-archive"

    /// Every `agents/*/agent/openclaw-agent.sqlite` that exists, sorted by agent.
    package static func databases(stateDir: String) -> [SessionStoreFile] {
        let agentsDir = stateDir + "/agents"
        let agents = ((try? FileManager.default.contentsOfDirectory(atPath: agentsDir)) ?? []).sorted()
        var found: [SessionStoreFile] = []
        for agent in agents {
            let agentDir = agentsDir + "/" + agent
            let path = agentDir + "/agent/" + fileName
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(SessionStoreFile(path: path, agentId: agent, agentDir: agentDir))
            }
        }
        return found
    }
}
