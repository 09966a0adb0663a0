import Foundation
import Testing
import TestSupport
@testable import HostHealth

/// The sampler on fixture trees with an injected clock: figures worked out from the fixture text.
@Suite struct HostSamplerTests {
    func sampler(_ root: String, disks: [HostSampler.DiskTarget] = []) -> HostSampler {
        var sampler = HostSampler(
            proc: ProcFS(root: root, ticksPerSecond: 100), disks: disks,
            gateway: GatewayLocator(processName: "openclaw-gateway"), host: "box")
        sampler.ownPid = 0
        return sampler
    }

    @Test func secondSampleUsesSavedCounters() throws {
        let clock = Fixture.FakeClock(Fixture.t0)
        var first = sampler(Fixture.directory + "/proc-a")
        first.fallbackWindowSeconds = 0
        let a = try first.sample(previous: nil, clock: clock.read, sleep: clock.sleep)
        #expect(a.sample.cpuBusyPercent == nil, "no earlier reading and no fallback window")
        #expect(a.sample.gateway?.cpuPercent == nil)
        #expect(a.sample.gateway?.restarted == false)
        clock.now += 60_000_000
        let b = try sampler(Fixture.directory + "/proc-b").sample(previous: a.state, clock: clock.read, sleep: clock.sleep)
        #expect(clock.sleeps.isEmpty, "recent state: no second reading needed")
        let s = b.sample
        #expect(s.tsMicros == Fixture.t0 + 60_000_000)
        #expect(abs(try #require(s.cpuBusyPercent) - 900.0 / 1400.0 * 100) < 1e-9)
        #expect(s.cpuWindowSeconds == 60)
        #expect(s.cpuCount == 2 && s.load1 == 0.52 && s.uptimeSeconds == 5400.25)
        #expect(s.memUsedPercent == 50)
        let gateway = try #require(s.gateway)
        // 400 → 460 ticks = 0.6 s of CPU in 60 s = 1 %.
        #expect(abs(try #require(gateway.cpuPercent) - 1.0) < 1e-9)
        #expect(gateway.pid == 4242 && gateway.threads == 14 && gateway.openFiles == 7 && gateway.rssBytes == 256_000_000)
        #expect(gateway.startMicros == 1_700_005_000_000_000 && !gateway.restarted)
    }

    @Test func changedStartTimeIsARestart() throws {
        let clock = Fixture.FakeClock(Fixture.t0)
        let a = try sampler(Fixture.directory + "/proc-b").sample(previous: nil, clock: clock.read, sleep: clock.sleep)
        clock.now += 60_000_000
        let c = try sampler(Fixture.directory + "/proc-c").sample(previous: a.state, clock: clock.read, sleep: clock.sleep)
        let gateway = try #require(c.sample.gateway)
        #expect(gateway.pid == 5000 && gateway.restarted)
        #expect(gateway.cpuPercent == nil, "a new process has no earlier counter")
        // 900000 ticks = 9000 s after boot.
        #expect(gateway.startMicros == 1_700_009_000_000_000)
    }

    @Test func oneShotWithoutStateTakesTwoReadings() throws {
        let scratch = TemporaryDirectory("hh-fallback")
        defer { scratch.remove() }
        let root = try Fixture.copy("proc-a", into: scratch)
        let clock = Fixture.FakeClock(Fixture.t0)
        // While "sleeping", the counters advance to those of proc-b.
        clock.onSleep = {
            for file in ["stat", "4242/stat"] {
                _ = try? FileManager.default.removeItem(atPath: root + "/" + file)
                try? FileManager.default.copyItem(atPath: Fixture.directory + "/proc-b/" + file, toPath: root + "/" + file)
            }
        }
        let outcome = try sampler(root).sample(previous: nil, clock: clock.read, sleep: clock.sleep)
        #expect(clock.sleeps == [0.5])
        #expect(abs(try #require(outcome.sample.cpuBusyPercent) - 900.0 / 1400.0 * 100) < 1e-9)
        #expect(outcome.sample.cpuWindowSeconds == 0.5)
        // 60 ticks = 0.6 s of CPU in 0.5 s = 120 % of one core.
        #expect(abs(try #require(outcome.sample.gateway?.cpuPercent) - 120) < 1e-9)
    }

    @Test func staleOrOtherBootStateIsNotUsed() throws {
        let clock = Fixture.FakeClock(Fixture.t0)
        let a = try sampler(Fixture.directory + "/proc-a").sample(previous: nil, clock: clock.read, sleep: clock.sleep)
        #expect(clock.sleeps.count == 1)
        clock.now += 901_000_000
        _ = try sampler(Fixture.directory + "/proc-b").sample(previous: a.state, clock: clock.read, sleep: clock.sleep)
        #expect(clock.sleeps.count == 2, "older than 15 minutes: a fresh pair of readings")
        var rebooted = a.state
        rebooted.tsMicros = clock.now - 60_000_000
        rebooted.bootTimeSeconds -= 3600
        _ = try sampler(Fixture.directory + "/proc-b").sample(previous: rebooted, clock: clock.read, sleep: clock.sleep)
        #expect(clock.sleeps.count == 3, "counters from another boot are not comparable")
    }

    @Test func gatewayDownThenBackIsARestart() throws {
        let clock = Fixture.FakeClock(Fixture.t0)
        let a = try sampler(Fixture.directory + "/proc-a").sample(previous: nil, clock: clock.read, sleep: clock.sleep)
        var down = sampler(Fixture.directory + "/proc-a")
        down.gateway = GatewayLocator(processName: "not-running")
        let b = try down.sample(previous: a.state, clock: clock.read, sleep: clock.sleep)
        #expect(b.sample.gateway == nil)
        #expect(b.state.gateway?.pid == 4242, "the last identity is kept while the gateway is down")
        let c = try sampler(Fixture.directory + "/proc-c").sample(previous: b.state, clock: clock.read, sleep: clock.sleep)
        #expect(c.sample.gateway?.restarted == true)
    }

    @Test func missingDiskDirIsAWarningNotAFailure() throws {
        let clock = Fixture.FakeClock(Fixture.t0)
        var s = sampler(Fixture.directory + "/proc-a", disks: [.init(label: "data", path: "/"), .init(label: "state", path: "/nonexistent-dir-xyz")])
        s.fallbackWindowSeconds = 0
        let outcome = try s.sample(previous: nil, clock: clock.read, sleep: clock.sleep)
        #expect(outcome.sample.disks.map(\.label) == ["data"])
        #expect(outcome.warnings.count == 1 && outcome.warnings[0].contains("/nonexistent-dir-xyz"))
    }
}
