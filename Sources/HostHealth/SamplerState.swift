import Foundation
import HomeBaseCore

/// The counters of the previous sample, kept beside the spool, so that a one-shot cron run
/// can still compute CPU busy % and gateway CPU % as a difference, and notice a gateway restart.
package struct SamplerState: Sendable, Equatable, Codable {
    package var tsMicros: Int64
    package var bootTimeSeconds: Int64
    package var cpu: CPUTimes
    package var gateway: GatewayCounters?

    /// The gateway's identity and CPU counter at the previous sample.
    package struct GatewayCounters: Sendable, Equatable, Codable {
        package var pid: Int32
        package var startMicros: Int64
        package var cpuTicks: UInt64

        package init(pid: Int32, startMicros: Int64, cpuTicks: UInt64) {
            self.pid = pid
            self.startMicros = startMicros
            self.cpuTicks = cpuTicks
        }
    }

    package init(tsMicros: Int64, bootTimeSeconds: Int64, cpu: CPUTimes, gateway: GatewayCounters?) {
        self.tsMicros = tsMicros
        self.bootTimeSeconds = bootTimeSeconds
        self.cpu = cpu
        self.gateway = gateway
    }

    /// Reads the state file; nil when it is missing or unreadable (the next sample starts afresh).
    package static func load(from path: String) -> SamplerState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(SamplerState.self, from: data)
    }

    /// Replaces the state file atomically.
    package func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
