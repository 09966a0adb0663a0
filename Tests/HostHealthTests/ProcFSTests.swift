import Foundation
import Testing
import TestSupport
@testable import HostHealth

/// The readers on a fixture tree; every expected value is worked out from the fixture text.
@Suite struct ProcFSTests {
    @Test func readsHostFiles() throws {
        let proc = Fixture.proc("proc-a")
        let stat = try proc.stat()
        // cpu  1000 0 500 8000 500 0 0 0
        #expect(stat.cpu == CPUTimes(user: 1000, nice: 0, system: 500, idle: 8000, iowait: 500))
        #expect(stat.cpu.total == 10_000)
        #expect(stat.cpu.idleAll == 8500)
        #expect(stat.bootTimeSeconds == 1_700_000_000)
        let load = try proc.loadAverage()
        #expect(load.one == 0.52 && load.five == 0.58 && load.fifteen == 0.59)
        #expect(try proc.uptimeSeconds() == 5400.25)
        let memory = try proc.memInfo()
        #expect(memory.totalBytes == 16_384_000 * 1024)
        #expect(memory.availableBytes == 8_192_000 * 1024)
        #expect(memory.usedBytes == 8_192_000 * 1024)
        #expect(memory.swapUsedBytes == 1_024_000 * 1024)
        #expect(proc.pids() == [1, 4242])
    }

    @Test func busyPercentBetweenTwoReadings() throws {
        let a = try Fixture.proc("proc-a").stat().cpu, b = try Fixture.proc("proc-b").stat().cpu
        // total 10000 → 11400 (Δ1400); idle+iowait 8500 → 9000 (Δ500); busy 900/1400.
        #expect(abs(try #require(b.busyPercent(since: a)) - 900.0 / 1400.0 * 100) < 1e-9)
        #expect(a.busyPercent(since: b) == nil, "counters going backwards (a reboot) give no figure")
        #expect(a.busyPercent(since: a) == nil)
    }

    @Test func readsProcessFiles() throws {
        let proc = Fixture.proc("proc-a")
        let stat = try #require(proc.processStat(4242))
        #expect(stat.comm == "openclaw-gatewa")
        #expect(stat.userTicks == 300 && stat.systemTicks == 100 && stat.threads == 12 && stat.startTicks == 500_000)
        // 500000 ticks at 100 Hz = 5000 s after btime 1700000000.
        #expect(stat.startMicros(bootTimeSeconds: 1_700_000_000, ticksPerSecond: 100) == 1_700_005_000_000_000)
        let rss: Int64 = try #require(proc.residentBytes(4242))
        #expect(rss == 256_000_000)
        #expect(proc.openFileCount(4242) == 7)
        #expect(proc.cmdline(4242) == ["openclaw-gateway", "--port", "18789"])
        #expect(proc.processStat(999) == nil)
    }

    @Test func commWithSpacesAndParentheses() throws {
        let line = "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 41 9 0 0 20 0 3 0 1234 0 0\n"
        let stat = try #require(ProcessStat(parsing: line))
        #expect(stat.pid == 77 && stat.comm == "my (odd) name")
        #expect(stat.userTicks == 41 && stat.systemTicks == 9 && stat.threads == 3 && stat.startTicks == 1234)
        #expect(ProcessStat(parsing: "garbage") == nil)
    }

    @Test func missingFileNamesPathAndFix() {
        let proc = ProcFS(root: "/nonexistent-proc", ticksPerSecond: 100)
        #expect(throws: HealthError.self) { try proc.stat() }
        do { _ = try proc.memInfo() } catch { #expect(error.description.contains("/nonexistent-proc/meminfo")) }
    }

    @Test func locatesGateway() throws {
        let proc = Fixture.proc("proc-a")
        // comm is truncated to 15 bytes by the kernel: the long name matches by prefix.
        #expect(GatewayLocator(processName: "openclaw-gateway").locate(in: proc, excluding: 0) == 4242)
        #expect(GatewayLocator(processName: "openclaw-gateway").locate(in: proc, excluding: 4242) == nil)
        #expect(GatewayLocator(processName: "nginx").locate(in: proc, excluding: 0) == nil)
        #expect(GatewayLocator(processName: nil).locate(in: proc, excluding: 0) == nil)
        let locator = GatewayLocator(processName: "gateway")
        #expect(locator.matches("gateway", comm: "node", cmdline: ["node", "/opt/openclaw/gateway.js"]))
        #expect(!locator.matches("gateway", comm: "node", cmdline: ["node", "/opt/gateway-tools/run.js"]))
    }

    @Test func locatesGatewayByPidFile() throws {
        let scratch = TemporaryDirectory("hh-pid")
        defer { scratch.remove() }
        let pidFile = scratch.file("gateway.pid")
        try "4242\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        let proc = Fixture.proc("proc-a")
        #expect(GatewayLocator(pidFile: pidFile, processName: nil).locate(in: proc, excluding: 0) == 4242)
        // A stale pid file (no such process) falls back to the name.
        try "31337\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        #expect(GatewayLocator(pidFile: pidFile, processName: nil).locate(in: proc, excluding: 0) == nil)
        #expect(GatewayLocator(pidFile: pidFile, processName: "systemd").locate(in: proc, excluding: 0) == 1)
    }
}
