import Foundation
import Testing
import TestSupport
@testable import HostHealth

/// `homebase sample` as a function: one shot, or a fixed-schedule loop on a fake clock.
@Suite struct SampleRunTests {
    func run(_ scratch: TemporaryDirectory, every: Double?, duration: Double?) -> SampleRun {
        var sampler = HostSampler(proc: Fixture.proc("proc-a"), disks: [], gateway: GatewayLocator(processName: nil), host: "box")
        sampler.fallbackWindowSeconds = 0
        return SampleRun(sampler: sampler, spool: SampleSpool(dataDir: scratch.path), everySeconds: every, durationSeconds: duration)
    }

    @Test func loopEverySixtySecondsForFifteenMinutes() throws {
        let scratch = TemporaryDirectory("hh-loop")
        defer { scratch.remove() }
        let clock = Fixture.FakeClock(Fixture.t0 + 123)
        let summary = try run(scratch, every: 60, duration: 900).run(clock: clock.read, sleep: clock.sleep)
        // Offsets 0, 60, …, 840: 15 samples; 900 is the end and not sampled.
        #expect(summary.samples.map(\.tsMicros) == (0..<15).map { Fixture.t0 + 123 + Int64($0) * 60_000_000 })
        #expect(clock.sleeps == Array(repeating: 60, count: 14))
        #expect(try SampleSpool(dataDir: scratch.path).read().samples.count == 15)
        #expect(SamplerState.load(from: SampleSpool(dataDir: scratch.path).statePath)?.tsMicros == Fixture.t0 + 123 + 14 * 60_000_000)
    }

    @Test func oneShotAppendsOneAndKeepsState() throws {
        let scratch = TemporaryDirectory("hh-once")
        defer { scratch.remove() }
        let clock = Fixture.FakeClock(Fixture.t0)
        let summary = try run(scratch, every: nil, duration: nil).run(clock: clock.read, sleep: clock.sleep)
        #expect(summary.samples.count == 1 && clock.sleeps.isEmpty)
        let state = try #require(SamplerState.load(from: SampleSpool(dataDir: scratch.path).statePath))
        #expect(state.cpu.total == 10_000 && state.bootTimeSeconds == 1_700_000_000)
    }

    @Test func parsesDurations() {
        #expect(SampleRun.seconds("60s") == 60)
        #expect(SampleRun.seconds("15m") == 900)
        #expect(SampleRun.seconds("2h") == 7200)
        #expect(SampleRun.seconds("1d") == 86400)
        #expect(SampleRun.seconds("90") == 90)
        #expect(SampleRun.seconds("0.5") == 0.5)
        #expect(SampleRun.seconds("0s") == nil)
        #expect(SampleRun.seconds("-5m") == nil)
        #expect(SampleRun.seconds("m") == nil)
        #expect(SampleRun.seconds("5x") == nil)
    }
}

/// The flat row of `host_samples`.
@Suite struct HostSampleRowTests {
    @Test func columnsLineUpWithValues() {
        let disks = [
            DiskUsage(label: "state", path: "/s", totalBytes: 100, availableBytes: 40, usedBytes: 55),
            DiskUsage(label: "other", path: "/o", totalBytes: 1, availableBytes: 1, usedBytes: 0)
        ]
        let sample = Fixture.sample(
            Fixture.t0, cpu: 12.5, memTotal: 1000, memAvailable: 250, disks: disks,
            gateway: GatewaySample(pid: 42, cpuPercent: nil, rssBytes: 7, threads: 3, openFiles: 9, startMicros: 5, restarted: true))
        let row = Dictionary(uniqueKeysWithValues: zip(HostSampleRow.columns, HostSampleRow.values(sample)))
        #expect(HostSampleRow.columns.count == HostSampleRow.values(sample).count)
        #expect(HostSampleRow.columns.count == 27)
        #expect(row["ts_us"] == .int(Fixture.t0) && row["cpu_busy_pct"] == .double(12.5))
        #expect(row["mem_used_pct"] == .double(75))
        #expect(row["disk_data_total_bytes"] == .int(nil))
        #expect(row["disk_state_available_bytes"] == .int(40) && row["disk_state_used_bytes"] == .int(55))
        #expect(row["gateway_pid"] == .int(42) && row["gateway_cpu_pct"] == .double(nil) && row["gateway_open_files"] == .int(9))
        #expect(row["gateway_restarted"] == .bool(true))
        let none = HostSampleRow.values(Fixture.sample(Fixture.t0))
        #expect(none.suffix(7).allSatisfy { [.int(nil), .double(nil), .bool(nil)].contains($0) })
    }

    @Test func rowReadsBackIntoTheSample() {
        let disks = [DiskUsage(label: "data", path: "", totalBytes: 100, availableBytes: 40, usedBytes: 55)]
        let sample = Fixture.sample(
            Fixture.t0, cpu: 12.5, memTotal: 1000, memAvailable: 250, disks: disks,
            gateway: GatewaySample(pid: 42, cpuPercent: 3.5, rssBytes: 7, threads: 3, openFiles: nil, startMicros: 5, restarted: true))
        #expect(HostSampleRow.sample(HostSampleRow.values(sample)) == sample)
        let bare = Fixture.sample(Fixture.t0 + 1)
        #expect(HostSampleRow.sample(HostSampleRow.values(bare)) == bare)
        #expect(HostSampleRow.sample([]) == nil)
    }
}
