import Foundation
import Testing
@testable import HostHealth

/// Daily figures, restarts, disk projection, gaps and alert rules on hand-made samples; every
/// expected value is computed by hand in the comments.
@Suite struct HealthAnalysisTests {
    static let minute: Int64 = 60_000_000, day: Int64 = 86_400_000_000

    @Test func dailyPercentiles() {
        // Day 1: cpu 10…50, memory used 10 %…50 % (available 900…500 of 1000). Day 2: one sample, no cpu.
        var samples: [HostSample] = []
        for i in 0..<5 {
            let cpu = Double(10 * (i + 1)), available = Int64(900 - 100 * i)
            samples.append(Fixture.sample(Fixture.t0 + Int64(i) * Self.minute, cpu: cpu, memAvailable: available))
        }
        samples.append(Fixture.sample(Fixture.t0 + Self.day, memAvailable: 750))
        let days = DailyUsage.compute(samples.reversed())
        let names: [String] = days.map { $0.day }
        #expect(names == ["2025-12-03", "2025-12-04"])
        // p50 of 10,20,30,40,50 = 30; p95: h = 4·0.95 = 3.8 → 40 + 0.8·10 = 48.
        #expect(days[0].samples == 5 && days[0].cpuP50 == 30 && days[0].cpuMax == 50)
        #expect(abs((days[0].cpuP95 ?? 0) - 48) < 1e-9)
        #expect(days[0].memP50 == 30 && abs((days[0].memP95 ?? 0) - 48) < 1e-9 && days[0].memMax == 50)
        #expect(days[1].cpuP50 == nil && days[1].memP50 == 25 && days[1].memMax == 25)
    }

    @Test func restartsFromStartTimes() {
        let start: Int64 = 1_700_000_000_000_000
        let samples = [
            Fixture.sample(Fixture.t0, gateway: Fixture.gateway(pid: 1, start: start)),
            Fixture.sample(Fixture.t0 + Self.minute),  // gateway down
            Fixture.sample(Fixture.t0 + 2 * Self.minute, gateway: Fixture.gateway(pid: 1, start: start + 1_000_000)),  // btime jitter
            Fixture.sample(Fixture.t0 + 3 * Self.minute, gateway: Fixture.gateway(pid: 2, start: start + 500_000_000)),
            Fixture.sample(Fixture.t0 + 4 * Self.minute, gateway: Fixture.gateway(pid: 2, start: start + 500_000_000)),
            Fixture.sample(Fixture.t0 + 5 * Self.minute, gateway: Fixture.gateway(pid: 2, start: start + 900_000_000))  // same pid, new start
        ]
        let restarts = GatewayRestart.find(samples.shuffled())
        #expect(restarts.map(\.tsMicros) == [Fixture.t0 + 3 * Self.minute, Fixture.t0 + 5 * Self.minute])
        #expect(restarts[0].previousPid == 1 && restarts[0].pid == 2)
    }

    func disk(_ available: Int64) -> DiskUsage {
        DiskUsage(label: "data", path: "/srv/data", totalBytes: 200, availableBytes: available, usedBytes: 200 - available)
    }

    @Test func diskProjection() {
        // Available 100, 96, 90, 86 at days 0…3: x̄ = 1.5, ȳ = 93, Σ(x−x̄)(y−ȳ) = −24, Σ(x−x̄)² = 5,
        // slope −4.8/day, so 86 / 4.8 = 17.9166… days.
        let samples = [100, 96, 90, 86].enumerated().map {
            Fixture.sample(Fixture.t0 + Int64($0.offset) * Self.day, disks: [disk(Int64($0.element))])
        }
        let projection = DiskProjection.project(samples).first
        #expect(projection?.samples == 4 && projection?.availableBytes == 86)
        #expect(abs((projection?.growthBytesPerDay ?? 0) - 4.8) < 1e-9)
        #expect(abs((projection?.daysUntilFull ?? 0) - 86 / 4.8) < 1e-9)
        #expect(projection?.outlook == "17.9 days until full")
        // A window of 2 days keeps days 1…3: 96, 90, 86 → slope −5, 86/5 = 17.2.
        #expect(abs((DiskProjection.project(samples, windowDays: 2).first?.daysUntilFull ?? 0) - 17.2) < 1e-9)

        let flat = (0..<3).map { Fixture.sample(Fixture.t0 + Int64($0) * Self.day, disks: [disk(50)]) }
        #expect(DiskProjection.project(flat).first?.daysUntilFull == nil)
        #expect(DiskProjection.project(flat).first?.outlook == "not growing")
        let freeing = [50, 60].enumerated().map { Fixture.sample(Fixture.t0 + Int64($0.offset) * Self.day, disks: [disk(Int64($0.element))]) }
        #expect(DiskProjection.project(freeing).first?.outlook == "not growing")
        #expect(DiskProjection.project([Fixture.sample(Fixture.t0, disks: [disk(5)])]).isEmpty, "one sample: no trend")
    }

    @Test func samplingGaps() {
        // Offsets 0, 60, 120, 400, 460 s; expected 60 s × 3 = 180 s: one gap 120 → 400 (280 s).
        let samples = [0, 60, 120, 400, 460].map { Fixture.sample(Fixture.t0 + Int64($0) * 1_000_000) }
        let gaps = SamplingGap.find(samples, expectedIntervalSeconds: 60)
        #expect(gaps == [SamplingGap(fromMicros: Fixture.t0 + 120_000_000, toMicros: Fixture.t0 + 400_000_000, ongoing: false)])
        #expect(gaps[0].seconds == 280)
        // Now 200 s after the last sample (> 180): samples have stopped.
        let ongoing = SamplingGap.find(samples, expectedIntervalSeconds: 60, nowMicros: Fixture.t0 + 660_000_000)
        #expect(ongoing.count == 2 && ongoing[1].ongoing && ongoing[1].seconds == 200)
        #expect(SamplingGap.find(samples, expectedIntervalSeconds: 60, nowMicros: Fixture.t0 + 560_000_000).count == 1)
        #expect(SamplingGap.find(samples, expectedIntervalSeconds: 60, factor: 5).isEmpty)
    }

    @Test func alertRules() {
        let now = Fixture.t0 + 3 * Self.day
        // Disk: 100 → 70 over 3 days = 10/day; 70 left → 7 days: warning (< 14), not critical (≥ 3).
        var samples: [HostSample] = []
        for i in 0...3 {
            let ts = Fixture.t0 + Int64(i) * Self.day - 60 * Self.minute
            samples.append(Fixture.sample(ts, memAvailable: 500, disks: [disk(Int64(100 - 10 * i))]))
        }
        // Memory in the last 15 min (−10, −6, −2 min): used 92 %, 95 %, 99 % → median 95: warning (≥ 90, < 97).
        for (i, available) in [80, 50, 10].enumerated() {
            samples.append(Fixture.sample(now - Int64(10 - 4 * i) * Self.minute, memAvailable: Int64(available)))
        }
        var rules = HealthRules()
        var findings = rules.evaluate(samples, nowMicros: now)
        let disk = findings.first { $0.rule == "disk_full" }
        #expect(disk?.severity == "warning" && disk?.key == "disk_full:h1:data")
        #expect(disk?.title == "Disk of data dir on h1: 7 days until full")
        let memory = findings.first { $0.rule == "memory_pressure" }
        #expect(memory?.severity == "warning" && memory?.title == "Memory pressure on h1: 95% used")
        // Gaps: the daily disk samples are 1 day apart, the last one 50 min before the memory samples.
        let gap = findings.first { $0.rule == "sampling_gap" }
        #expect(gap?.severity == "warning" && gap?.key == "sampling_gap:h1")
        #expect(!findings.contains { $0.rule == "gateway_restart" })

        rules.diskCriticalDays = 8
        rules.memoryCriticalPercent = 95
        findings = rules.evaluate(samples, nowMicros: now)
        #expect(findings.first { $0.rule == "disk_full" }?.severity == "critical")
        #expect(findings.first { $0.rule == "memory_pressure" }?.severity == "critical")
        // An hour later nothing arrived: the gap is ongoing, critical; memory window now empty.
        findings = rules.evaluate(samples, nowMicros: now + 60 * Self.minute)
        #expect(findings.first { $0.rule == "sampling_gap" }?.severity == "critical")
        #expect(!findings.contains { $0.rule == "memory_pressure" })
    }

    @Test func restartRule() {
        let start: Int64 = 1_700_000_000_000_000
        let samples = (0..<4).map { i in
            Fixture.sample(Fixture.t0 + Int64(i) * Self.minute, gateway: Fixture.gateway(pid: Int32(10 + i), start: start + Int64(i) * 100_000_000))
        }
        var rules = HealthRules()
        let now = Fixture.t0 + 4 * Self.minute
        // Pids 10 → 11 → 12 → 13: three restarts ≥ the critical count 3.
        let finding = rules.evaluate(samples, nowMicros: now).first { $0.rule == "gateway_restart" }
        #expect(finding?.severity == "critical" && finding?.title == "OpenClaw gateway on h1 restarted 3× in the last 24 h")
        #expect(finding?.detail.contains("pid 12 → 13") == true)
        rules.restartCriticalCount = 4
        #expect(rules.evaluate(samples, nowMicros: now).first { $0.rule == "gateway_restart" }?.severity == "warning")
        rules.restartWindowSeconds = 90  // from +2.5 min: only the restart at +3 min
        #expect(rules.evaluate(samples, nowMicros: now).first { $0.rule == "gateway_restart" }?.title.contains("1×") == true)
    }
}
