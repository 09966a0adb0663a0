import Foundation
import Testing
import TestSupport
@testable import HostHealth

/// The section built from the demo samples, and the doctor's sampling status.
@Suite struct HealthSummaryTests {
    static let gib = 1_073_741_824.0

    @Test func demoSamplesShowEveryFeature() {
        let samples = DemoSamples.generate(startMicros: Fixture.t0, days: 7, seed: 42)
        #expect(samples == DemoSamples.generate(startMicros: Fixture.t0, days: 7, seed: 42), "seeded")
        // 7 days of 5-minute samples = 2016, minus the 2-hour gap (24 samples).
        #expect(samples.count == 2016 - 24)
        let now = samples[samples.count - 1].tsMicros + 60_000_000
        let summary = HealthSummary.build(
            samples, nowMicros: now,
            rules: {
                var r = HealthRules(); r.expectedIntervalSeconds = 300; return r
            }())
        #expect(summary.days.count == 7 && summary.days.allSatisfy { $0.samples > 200 })
        #expect(summary.restarts.count == 1 && summary.restarts[0].pid == 48_213)
        #expect(summary.gaps.count == 1 && summary.gaps[0].seconds == 2 * 3600 + 300)
        let disk = summary.disks.first
        // Used grows 1.5 GiB/day; the fit over truncated integers is within a byte a day of it.
        #expect(abs((disk?.growthBytesPerDay ?? 0) - 1.5 * Self.gib) < 2)
        let expectedDays = Double(disk?.availableBytes ?? 0) / (1.5 * Self.gib)
        #expect(abs((disk?.daysUntilFull ?? 0) - expectedDays) < 1e-6)
        // The restart is 3.5 days old (outside the 24 h rule window); the gap ended 18 h ago (inside).
        #expect(summary.findings.map(\.rule) == ["sampling_gap"])
        let text = summary.textLines()
        #expect(text[0] == "System health of demo-host: 1992 samples, 2025-12-03 00:00 to 2025-12-09 23:55")
        #expect(text.contains("  Gateway restarts: 1 (latest 2025-12-06 12:00)"))
        #expect(text.contains { $0.hasPrefix("  Disk data (/var/lib/homebase): ") && $0.hasSuffix(" days until full") })
        #expect(HealthSummary.build([], nowMicros: now).textLines().count == 1)
    }

    @Test func samplingStatus() throws {
        let scratch = TemporaryDirectory("hh-doctor")
        defer { scratch.remove() }
        let spool = SampleSpool(dataDir: scratch.path)
        #expect(!SamplingStatus.check(spool, nowMicros: Fixture.t0).arriving)
        try spool.append(Fixture.sample(Fixture.t0))
        try spool.append(Fixture.sample(Fixture.t0 + 60_000_000))
        var status = SamplingStatus.check(spool, nowMicros: Fixture.t0 + 100_000_000)
        #expect(status.arriving && status.pendingSamples == 2 && status.lastSampleMicros == Fixture.t0 + 60_000_000)
        #expect(status.message == "host samples arriving: last 40 s ago, 2 waiting for the next ingest")
        // After a fold the state file still tells when the last sample was taken.
        try spool.fold { _ in }
        try SamplerState(tsMicros: Fixture.t0 + 60_000_000, bootTimeSeconds: 1, cpu: CPUTimes(user: 1, nice: 0, system: 0, idle: 1), gateway: nil)
            .save(to: spool.statePath)
        status = SamplingStatus.check(spool, nowMicros: Fixture.t0 + 600_000_000)
        #expect(!status.arriving && status.pendingSamples == 0)
        #expect(status.message.hasPrefix("no host sample for 9 min"))
    }
}
