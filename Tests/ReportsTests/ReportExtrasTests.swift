import Foundation
import Testing
@testable import HomeBaseCore
@testable import Lake
@testable import Analytics
@testable import Reports
@testable import TestSupport

/// A report's extras (previous period, model mix, per-model days, month to date) stream the lake
/// part by part; here they equal the same figures taken the plain way, from one table of every
/// row summed per name, on the samples' lake in zones from −11 to +14 hours, for every period,
/// with and without an agent filter.
@Suite struct ReportExtrasTests {
    @Test func streamedExtrasEqualTheWholeTable() throws {
        let dir = TemporaryDirectory("report-extras")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        #expect(run.code == .warnings || run.code == .success, "\(run.text)")
        let june30 = try #require(UTCDate.parseDate("2026-06-30"))
        var compared = 0
        for zone in ["UTC", "Europe/Berlin", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            for agent in [nil, "main"] as [String?] {
                let frames = [
                    try ReportTimeFrame.resolve(period: .daily, from: nil, to: june30, today: june30 + 1),
                    try ReportTimeFrame.resolve(period: .weekly, from: nil, to: june30 - 3, today: june30 + 1),
                    try ReportTimeFrame.resolve(period: .monthly, from: nil, to: june30, today: june30 + 1),
                    try ReportTimeFrame.resolve(period: .weekly, from: june30 - 40, to: june30, today: june30 + 1)
                ]
                for frame in frames {
                    var options = AnalysisOptions(dataDir: run.data, generatedAt: 0)
                    options.timeZone = zone
                    options.agent = agent
                    let streamed = try Analyzer(options: options).reportExtras(frame)
                    let plain = try Self.plainExtras(options, frame)
                    #expect(streamed == plain, "\(zone) \(agent ?? "all") \(frame.slug)")
                    compared += 1
                    if agent == nil && frame.current.lastDay == june30 {
                        #expect(!streamed.models.isEmpty, "\(zone) \(frame.slug): the samples have June calls")
                    }
                }
            }
        }
        #expect(compared == 40)
    }

    /// The extras as reports took them before they were streamed: one table of every row of the
    /// range, sums per name in row order, percentiles of the sorted values.
    static func plainExtras(_ base: AnalysisOptions, _ frame: ReportTimeFrame) throws -> ReportExtras {
        var options = base
        let lastCivil = UTCDate.civil(days: frame.current.lastDay)
        var from = min(frame.previousFirstDay, UTCDate.days(year: lastCivil.year, month: lastCivil.month, day: 1))
        if let first = try LakeScan(dataDir: options.dataDir, table: .requests).parts.compactMap({ UTCDate.parseDate($0.date) }).min() {
            from = max(from, min(first, frame.previousFirstDay))
        }
        options.from = UTCDate.dateString(days: from)
        options.to = UTCDate.dateString(days: frame.current.lastDay)
        let t = try Analyzer(options: options).loadTable()
        let first = frame.current.firstDay, dayCount = Int(frame.current.lastDay - first + 1)
        var extras = ReportExtras()
        var previousLatency: [Double] = []
        var cost = [[Double]](repeating: [Double](repeating: 0, count: dayCount), count: t.models.count)
        var latency = [[[Double]]](repeating: [[Double]](repeating: [], count: dayCount), count: t.models.count)
        var seen = [Bool](repeating: false, count: t.models.count)
        let monthFirst = UTCDate.days(year: lastCivil.year, month: lastCivil.month, day: 1)
        extras.monthToDate = [Double](repeating: 0, count: Int(frame.current.lastDay - monthFirst + 1))
        for i in 0..<t.count {
            let day = Int64(t.day[i])
            if day >= monthFirst && day <= frame.current.lastDay { extras.monthToDate[Int(day - monthFirst)] += t.cost[i] }
            if day >= frame.previousFirstDay && day <= frame.previousLastDay {
                extras.previous.calls += 1
                extras.previous.errors += t.isError[i] ? 1 : 0
                extras.previous.costUSD += t.cost[i]
                extras.previousCostByAgent[t.agents.names[Int(t.agent[i])], default: 0] += t.cost[i]
                extras.previousCostByModel[t.models.names[Int(t.model[i])], default: 0] += t.cost[i]
                if !t.latency[i].isNaN { previousLatency.append(t.latency[i]) }
            } else if day >= first && day <= frame.current.lastDay {
                let m = Int(t.model[i]), d = Int(day - first)
                let agent = t.agents.names[Int(t.agent[i])], model = t.models.names[m]
                extras.costByAgentModel[agent, default: [:]][model, default: 0] += t.cost[i]
                extras.callsByAgentModel[agent, default: [:]][model, default: 0] += 1
                seen[m] = true
                cost[m][d] += t.cost[i]
                if !t.latency[i].isNaN { latency[m][d].append(t.latency[i]) }
            }
        }
        extras.previous.p95LatencyMs = Percentile.of(previousLatency, 0.95)
        let totals = (0..<t.models.count).map { cost[$0].reduce(0, +) }
        extras.models = (0..<t.models.count).filter { seen[$0] }
            .sorted { (-totals[$0], t.models.names[$0]) < (-totals[$1], t.models.names[$1]) }
            .map { t.models.names[$0] }
        for m in 0..<t.models.count where seen[m] {
            extras.dailyCostByModel[t.models.names[m]] = cost[m]
            extras.dailyP95ByModel[t.models.names[m]] = latency[m].map { Percentile.of($0, 0.95) }
        }
        return extras
    }
}
