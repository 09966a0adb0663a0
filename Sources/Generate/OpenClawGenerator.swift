import Dispatch
import Foundation
import HomeBaseCore

/// `homebase generate`: writes a realistic, deterministic OpenClaw state directory
/// (`<out>/openclaw/agents/<id>/sessions/...`) and gateway logs (`<out>/gateway/openclaw-<date>.log`).
package enum OpenClawGenerator {
    /// Generates everything under `outDir` and returns what was written.
    /// - Throws: ``GenerateError`` when a directory or file cannot be written.
    package static func generate(_ requested: GeneratorOptions, outDir: String) throws -> GenerationManifest {
        var options = requested
        if let target = requested.targetMB { options = calibrate(requested, targetMB: target) }
        let plan = FleetPlan(options: options)
        let stateDir = outDir + "/openclaw"
        let gatewayDir = outDir + "/gateway"
        try FileOutput.makeDirectories(gatewayDir)
        try FileOutput.write(Array(configJSON.utf8), to: stateDir.isEmpty ? "openclaw.json" : ensure(stateDir) + "/openclaw.json")

        let results = AgentResults(count: options.agents)
        let fixed = options
        DispatchQueue.concurrentPerform(iterations: options.agents) { index in
            var agent = AgentGenerator(index: index, options: fixed, plan: plan, stateDir: stateDir)
            do {
                try FileOutput.makeDirectories(agent.sessionsDir)
                let emitter = StoreEmitter(
                    layout: fixed.store, sessionsDir: agent.sessionsDir, migrationMs: fixed.migrationDay * 86_400_000,
                    agentIndex: index)
                try agent.run { name, bytes in try emitter.emit(name, bytes) }
                try emitter.finish()
                for file in agent.lastWrites {
                    try FileOutput.setModified(agent.sessionsDir + "/" + file.name, milliseconds: file.milliseconds)
                }
                if fixed.store != .jsonl { agent.manifest.store_sessions = emitter.routes }
                results.set(index, .success((agent.manifest, agent.gateway.lines, agent.invoiceUsage)))
            } catch {
                results.set(index, .failure(error))
            }
        }

        var manifest = GenerationManifest()
        var gatewayLines: [GeneratedGatewayLine] = []
        var usage: [InvoiceUsage.Key: InvoiceUsage] = [:]
        for result in results.values {
            guard let result else { continue }
            let (part, lines, calls) = try result.get()
            manifest.merge(part)
            gatewayLines += lines
            usage.merge(calls) { $0.adding($1) }
        }
        var noise = GatewayLog(offsetMinutes: 120, upgradeDay: plan.upgradeDay, stream: 0)
        var rng = SplitMix64.derived(seed: options.seed, stream: 0xFEED)
        GatewayNoise.add(to: &noise, options: options, rng: &rng)
        gatewayLines += noise.lines
        try writeGateway(gatewayLines, dir: gatewayDir, offsetMinutes: 120, manifest: &manifest)

        var day = ByteSink(capacity: 10)
        day.date(options.startDay + Int64(plan.anomalyDayIndex))
        manifest.anomaly_day = String(decoding: day.bytes, as: UTF8.self)
        manifest.anomaly_agent = AgentGenerator.name(0)
        try FileOutput.write(Array(try manifest.jsonData()) + [0x0A], to: outDir + "/generate-manifest.json")
        for other in options.billAlso {
            let plan = FleetPlan(options: other)
            for index in 0..<other.agents {
                var agent = AgentGenerator(index: index, options: other, plan: plan, stateDir: "")
                agent.run { _, _ in }
                usage.merge(agent.invoiceUsage) { $0.adding($1) }
            }
        }
        try InvoiceWriter.write(usage, options: options, outDir: outDir)
        if options.plantSavings { try SavingsPlanter.plant(options, stateDir: stateDir, outDir: outDir) }
        return manifest
    }

    private static func ensure(_ dir: String) throws -> String {
        try FileOutput.makeDirectories(dir)
        return dir
    }

    /// Sorts gateway lines by time and writes one file per local date of the gateway host.
    private static func writeGateway(
        _ lines: [GeneratedGatewayLine], dir: String, offsetMinutes: Int,
        manifest: inout GenerationManifest
    ) throws {
        let sorted = lines.sorted { ($0.utcMs, $0.sequence) < ($1.utcMs, $1.sequence) }
        var current: Int64?
        var sink = ByteSink(capacity: 1 << 20)
        func flush() throws {
            guard let day = current else { return }
            var name = ByteSink(capacity: 32)
            name.raw("/openclaw-"); name.date(day); name.raw(".log")
            try FileOutput.write(sink.bytes, to: dir + String(decoding: name.bytes, as: UTF8.self))
            sink.removeAll()
        }
        for line in sorted {
            let localDay = (line.utcMs + Int64(offsetMinutes) * 60_000).floorDivided(by: 86_400_000).0
            if localDay != current { try flush(); current = localDay }
            sink.raw(line.bytes)
            manifest.gateway_lines += 1
            manifest.gateway_lines_by_level[line.level, default: 0] += 1
        }
        try flush()
    }

    /// Finds calls-per-day (and, past a realistic call rate, larger tool results, unless
    /// `smallFiles`) for about `targetMB` of transcripts: generates the fleet in memory (nothing written) at a small rate, scales, then
    /// re-measures and corrects until within 3% (fixed parts of a call do not scale linearly).
    static func calibrate(_ options: GeneratorOptions, targetMB: Int) -> GeneratorOptions {
        let target = Double(targetMB) * 1_048_576
        var current = options
        current.targetMB = nil
        current.callsPerDay = min(max(options.callsPerDay, 1), 20)
        current.sizeScale = 1
        for _ in 0..<5 {
            let bytes = Double(max(measure(current), 1))
            if abs(bytes / target - 1) < 0.03 { break }
            var calls = Double(current.callsPerDay) * current.sizeScale * target / bytes
            var scale = 1.0
            let maxCalls = options.smallFiles ? Double(Int32.max) : 400.0
            if calls > maxCalls { scale = calls / maxCalls; calls = maxCalls }
            if calls < 1 { scale = max(calls, 0.05); calls = 1 }
            current.callsPerDay = Int(calls.rounded())
            current.sizeScale = scale
        }
        return current
    }

    /// Bytes of counted transcripts the fleet would have, generated in memory only.
    private static func measure(_ options: GeneratorOptions) -> Int {
        let plan = FleetPlan(options: options)
        var bytes = 0
        for index in 0..<options.agents {
            var agent = AgentGenerator(index: index, options: options, plan: plan, stateDir: "")
            agent.run { _, _ in }
            bytes += Int(agent.manifest.transcript_bytes)
        }
        return bytes
    }

    static let configJSON = """
        {
          "meta": {
            "lastTouchedVersion": "2026.4.15",
            "lastTouchedAt": "2026-04-21T08:00:00.000Z"
          },
          "agents": {
            "defaults": {
              "workspace": "/home/ana/.openclaw/workspace",
              "compaction": { "truncateAfterCompaction": true }
            }
          },
          "logging": { "level": "info" }
        }

        """
}

/// Per-agent results filled in from `concurrentPerform` workers.
private final class AgentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Result<(GenerationManifest, [GeneratedGatewayLine], [InvoiceUsage.Key: InvoiceUsage]), any Error>?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<(GenerationManifest, [GeneratedGatewayLine], [InvoiceUsage.Key: InvoiceUsage]), any Error>) {
        lock.lock(); storage[index] = value; lock.unlock()
    }

    var values: [Result<(GenerationManifest, [GeneratedGatewayLine], [InvoiceUsage.Key: InvoiceUsage]), any Error>?] {
        lock.lock(); defer { lock.unlock() }
        return storage
    }
}
