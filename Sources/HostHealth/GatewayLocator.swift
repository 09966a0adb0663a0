import Foundation

/// How to find the OpenClaw gateway process: its pid file when one is configured and names a
/// live process, otherwise the first process whose `comm` or `cmdline` matches the name.
package struct GatewayLocator: Sendable, Equatable {
    /// A file holding the gateway's pid (decimal, optional newline).
    package var pidFile: String?
    /// Matched exactly against `/proc/<pid>/comm` (15 bytes at most there, so a longer name is
    /// compared by prefix) or against the base name of any `cmdline` argument.
    package var processName: String?

    package init(pidFile: String? = nil, processName: String? = "openclaw-gateway") {
        self.pidFile = pidFile
        self.processName = processName
    }

    /// The gateway's pid, or nil when it is not running. `excluding` is our own pid (a sampler
    /// started with the gateway's name in its arguments must not find itself).
    package func locate(in proc: ProcFS, excluding ownPid: Int32 = getpid()) -> Int32? {
        if let pidFile, let data = FileManager.default.contents(atPath: pidFile),
            let pid = Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
            proc.processStat(pid) != nil
        {
            return pid
        }
        guard let name = processName, !name.isEmpty else { return nil }
        for pid in proc.pids() where pid != ownPid {
            if matches(name, comm: proc.comm(pid), cmdline: proc.cmdline(pid)) { return pid }
        }
        return nil
    }

    /// Whether a process with `comm` and `cmdline` is the one called `name`.
    package func matches(_ name: String, comm: String?, cmdline: [String]) -> Bool {
        if let comm {
            if comm == name { return true }
            // The kernel truncates comm to 15 bytes.
            if comm.utf8.count == 15, name.utf8.count > 15, name.hasPrefix(comm) { return true }
        }
        // `node /usr/lib/openclaw/gateway.js` style: any argument whose base name is the name
        // (or the name with a script extension).
        for argument in cmdline.prefix(4) {
            let base = argument.split(separator: "/").last.map(String.init) ?? argument
            if base == name || base.hasPrefix(name + ".") { return true }
        }
        return false
    }
}
