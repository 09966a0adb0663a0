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
