import Foundation
import TestSupport
@testable import HostHealth

/// Paths of the fixture `/proc` trees and a compact way to make samples by hand.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func proc(_ name: String) -> ProcFS { ProcFS(root: directory + "/" + name, ticksPerSecond: 100) }

    /// A copy of a fixture tree that a test may overwrite.
    static func copy(_ name: String, into scratch: TemporaryDirectory) throws -> String {
        let target = scratch.file(name)
        try FileManager.default.copyItem(atPath: directory + "/" + name, toPath: target)
        return target
    }

    static let t0: Int64 = 1_764_720_000_000_000  // 2025-12-03T00:00:00Z

    static func sample(
        _ ts: Int64, cpu: Double? = nil, memTotal: Int64 = 1000, memAvailable: Int64 = 500,
        disks: [DiskUsage] = [], gateway: GatewaySample? = nil, host: String = "h1"
    ) -> HostSample {
        HostSample(
            tsMicros: ts, host: host, cpuBusyPercent: cpu, cpuWindowSeconds: cpu == nil ? nil : 60, load1: 0, load5: 0, load15: 0,
            cpuCount: 2, memTotalBytes: memTotal, memAvailableBytes: memAvailable, swapTotalBytes: 0, swapUsedBytes: 0,
            uptimeSeconds: 1, disks: disks, gateway: gateway)
    }

    static func gateway(pid: Int32, start: Int64) -> GatewaySample {
        GatewaySample(pid: pid, cpuPercent: nil, rssBytes: 1, threads: 1, openFiles: 1, startMicros: start, restarted: false)
    }

    /// A clock that a sleeper advances: tests run instantly with exact timestamps.
    final class FakeClock: @unchecked Sendable {
        var now: Int64
        var sleeps: [Double] = []
        var onSleep: (() -> Void)?
        init(_ start: Int64) { now = start }
        func read() -> Int64 { now }
        func sleep(_ seconds: Double) {
            sleeps.append(seconds)
            now += Int64((seconds * 1_000_000).rounded())
            onSleep?()
        }
    }
}
