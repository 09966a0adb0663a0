import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Pipeline
@testable import Generate
@testable import HomeBaseCLI
@testable import TestSupport

/// `homebase generate`: determinism, options that do what they say, and every trap present.
@Suite struct GenerateTests {
    @Test func sameSeedGivesIdenticalBytesAndAnotherSeedDiffers() throws {
        let options = GenerateFixture.options(days: 10, agents: 3, callsPerDay: 15)
        let (a, _) = try GenerateFixture.generate(options)
        let (b, _) = try GenerateFixture.generate(options)
        var other = options
        other.seed = 8
        let (c, _) = try GenerateFixture.generate(other)
        defer { a.remove(); b.remove(); c.remove() }
        let filesA = GenerateFixture.files(under: a.path)
        let filesB = GenerateFixture.files(under: b.path)
        let filesC = GenerateFixture.files(under: c.path)
        #expect(filesA.count > 30)
        #expect(filesA == filesB)
        #expect(filesA != filesC)
        let transcriptsA = filesA.filter { $0.key.hasSuffix(".jsonl") }.map(\.key).sorted()
        let transcriptsC = filesC.filter { $0.key.hasSuffix(".jsonl") }.map(\.key).sorted()
        #expect(transcriptsA != transcriptsC)  // different session ids, not just different contents
    }

    @Test func optionsChangeWhatTheySay() throws {
        let base = GenerateFixture.options(days: 12, agents: 2, callsPerDay: 20)
        let (dir, manifest) = try GenerateFixture.generate(base)
        defer { dir.remove() }
        // --days: one entry per UTC day of the period (every day has calls at this volume), none outside it.
        var first = ByteSink(), last = ByteSink()
        first.date(base.startDay); last.date(base.endDay)
        let firstDay = String(decoding: first.bytes, as: UTF8.self), lastDay = String(decoding: last.bytes, as: UTF8.self)
        let days = manifest.calls_by_day.keys.sorted()
        #expect(days.first == firstDay)
        #expect(days.count >= 12 && days.count <= 13)  // a session may run past midnight of the last day
        #expect(days.allSatisfy { $0 >= firstDay && $0 <= "2026-07-01" })
        #expect(manifest.calls_by_day[lastDay] ?? 0 > 0)
        // --agents: that many agent directories and agents with calls.
        let agents = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/openclaw/agents").sorted()
        #expect(agents == ["main", "research"])
        #expect(Set(manifest.calls_by_agent.keys) == ["main", "research"])
        // --calls-per-day: three times the rate gives about three times the calls.
        var more = base
        more.callsPerDay = 60
        let (dir3, manifest3) = try GenerateFixture.generate(more)
        defer { dir3.remove() }
        let ratio = Double(manifest3.calls) / Double(manifest.calls)
        #expect(ratio > 2.3 && ratio < 3.7, "ratio \(ratio)")
        // --end moves the period.
        var earlier = base
        earlier.endDay -= 100
        let (dirE, manifestE) = try GenerateFixture.generate(earlier)
        defer { dirE.remove() }
        #expect(manifestE.calls_by_day.keys.allSatisfy { $0 < "2026-03-24" })
    }

    @Test func commandLineParsesOptionsAndPinsTheDefaultEndDateToTheInjectedClock() throws {
        let dir = TemporaryDirectory("homebase-generate-cli")
        defer { dir.remove() }
        let clock: @Sendable () -> Int64 = { 1_782_777_600_000 + 5_000 }  // 2026-06-30T00:00:05Z
        let console = Console.capturing()
        let command = GenerateCommand(clock: clock)
        let code = try command.run(
            ["--out", dir.path, "--days", "3", "--agents", "1", "--calls-per-day", "5"],
            console: console)
        #expect(code == .success)
        #expect(console.capturedOut.contains("LLM calls"))
        let manifest = try JSONDecoder().decode(
            GenerationManifest.self,
            from: try Data(contentsOf: URL(fileURLWithPath: dir.path + "/generate-manifest.json")))
        #expect(manifest.calls_by_day.keys.sorted().first == "2026-06-28")
        #expect(throws: UsageError.self) { try command.run(["--days", "3"], console: console) }
        #expect(throws: UsageError.self) { try command.run(["--out", dir.path, "--end", "2026-02-30"], console: console) }
        #expect(throws: UsageError.self) { try command.run(["--out", dir.path, "--days", "x"], console: console) }
    }

    @Test func everyTrapIsInTheFiles() throws {
        let (dir, manifest) = try GenerateFixture.generate(GenerateFixture.options())
        defer { dir.remove() }
        let files = GenerateFixture.files(under: dir.path)
        let sessions = files.filter { $0.key.contains("/sessions/") }
        let names = sessions.keys.map { ($0 as NSString).lastPathComponent }
        func anyName(_ test: (String) -> Bool) -> Bool { names.contains(where: test) }
        #expect(anyName { $0.contains(".checkpoint.") && $0.hasSuffix(".jsonl") })
        #expect(anyName { $0.contains(".jsonl.reset.") })
        #expect(anyName { $0.contains(".jsonl.deleted.") })
        #expect(anyName { $0.hasSuffix(".trajectory.jsonl") })
        #expect(anyName { $0.contains(".bak") })
        #expect(anyName { $0.contains("-topic-") })
        #expect(anyName { $0.hasSuffix(".jsonl.lock") })
        #expect(anyName { $0 == "sessions.json" })
        #expect(anyName { $0.range(of: #"^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z_[0-9a-f-]{36}\.jsonl$"#, options: .regularExpression) != nil })

        let transcripts = sessions.filter { !$0.key.hasSuffix("sessions.json") && !$0.key.contains(".bak") }
        let all = transcripts.values.reduce(into: Data()) { $0.append($1) }
        func has(_ needle: String) -> Bool { all.range(of: Data(needle.utf8)) != nil }
        #expect(has(#"\ud83d""#) || has(#"\ud83d"#))  // lone surrogate escape
        #expect(has("429 429 Too Many Requests"))
        #expect(has("<html><head>"))
        #expect(has(#"{\"error\":{\"message\":\"{\\n  \\\"error\\\""#))  // JSON inside JSON inside the row
        #expect(has("请求错误"))
        #expect(has(#""errorMessage":"Connection error.""#))  // no status code
        #expect(has(#""customType":"openclaw:prompt-error""#))
        #expect(has(#""provider":"openclaw","model":"delivery-mirror""#))
        #expect(has(#""provider":"openclaw","model":"gateway-injected""#))
        #expect(has(#""provider":"clawdbot","model":"delivery-mirror""#))
        #expect(has(#""stopReason":"injected""#))
        #expect(has(#""stopReason":"aborted""#))
        #expect(has("🚀") || has("帮我") || has("日本語"))
        #expect(containsRegex(all, #""total":[0-9]\.?[0-9]*e-[0-9]+\}"#))  // exponent cost
        #expect(containsRegex(all, #""cacheRead":[1-9][0-9]*,"cacheWrite":[1-9]"#))
        #expect(containsRegex(all, #""model":"glm-5\.1-air-exp","usage""#))  // the model with no price

        // Per-line checks: huge tool result, error row carrying tokens and cost, negative latency,
        // rewritten entries, malformed lines (not last) and torn last lines (no newline).
        var surrogateLines = 0, retrySeen = false, huge = false, errorWithCost = false, tokensNoCost = false, negative = false, rewritten = false,
            malformed = 0, torn = 0
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let counted = transcripts.filter { name, _ in
            !name.contains(".checkpoint.") && !name.contains(".trajectory") && !name.hasSuffix(".lock")
                && (name.hasSuffix(".jsonl") || name.contains(".jsonl.reset.") || name.contains(".jsonl.deleted."))
        }
        for (_, data) in counted {
            let lines = GenerateFixture.lines(data)
            if let tail = lines.last, !tail.isEmpty { torn += 1; #expect((try? JSONSerialization.jsonObject(with: tail)) == nil) }
            var previousWasError = false
            for line in lines.dropLast() where !line.isEmpty {
                if line.count > 100_000 { huge = true }
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    // Foundation rejects the lone surrogate escapes Node writes (Python and JS accept them):
                    // those lines are valid transcript lines, the rest are the generator's malformed lines.
                    if line.range(of: Data(#"\ud83d"#.utf8)) != nil { surrogateLines += 1 } else { malformed += 1 }
                    continue
                }
                guard let message = object["message"] as? [String: Any], message["role"] as? String == "assistant",
                    let start = message["timestamp"] as? Double, let stamp = object["timestamp"] as? String,
                    let end = iso.date(from: stamp)
                else { continue }
                if previousWasError { retrySeen = true }  // a failed attempt directly followed by another attempt
                previousWasError = message["stopReason"] as? String == "error"
                let latency = end.timeIntervalSince1970 * 1000 - start
                if latency < 0 { negative = true }
                if latency > 86_400_000 * 1.5 { rewritten = true }
                let usage = message["usage"] as? [String: Any]
                let cost = (usage?["cost"] as? [String: Any])?["total"] as? Double ?? 0
                if cost == 0, (usage?["output"] as? Int ?? 0) > 0, message["stopReason"] as? String == "stop" { tokensNoCost = true }
                if message["stopReason"] as? String == "error", cost > 0, (usage?["input"] as? Int ?? 0) > 0 { errorWithCost = true }
            }
        }
        #expect(huge)
        #expect(retrySeen && manifest.retried_turns > 0)
        #expect(tokensNoCost)
        #expect(errorWithCost)
        #expect(negative)
        #expect(rewritten)
        #expect(malformed == manifest.malformed_lines && malformed > 0)
        #expect(surrogateLines >= manifest.lone_surrogates && surrogateLines > 0)
        #expect(torn == manifest.torn_lines && torn == 4)  // one live session per agent

        // A compaction successor names its parent and repeats some of its entries (same ids).
        var successorChecked = false
        for (name, data) in transcripts where (name as NSString).lastPathComponent.contains("Z_") {
            let lines = GenerateFixture.lines(data)
            let header = try #require(try JSONSerialization.jsonObject(with: lines[0]) as? [String: Any])
            let parentPath = try #require(header["parentSession"] as? String)
            let parentName = (parentPath as NSString).lastPathComponent
            let agentDir = (name as NSString).deletingLastPathComponent
            let parent = try #require(transcripts[agentDir + "/" + parentName])
            let parentLines = Set(GenerateFixture.lines(parent).filter { !$0.isEmpty })
            let repeated = lines.dropFirst().filter { parentLines.contains($0) }
            #expect(repeated.count >= 3)
            successorChecked = true
        }
        #expect(successorChecked)

        // Gateway logs: one file per day, every line a tslog JSON object with _meta and time.
        let gateway = files.filter { $0.key.hasPrefix("gateway/openclaw-") && $0.key.hasSuffix(".log") }
        #expect(gateway.count >= 21)
        var levels: Set<String> = []
        var offsets = (utc: false, local: false)
        for data in gateway.values {
            for line in GenerateFixture.lines(data) where !line.isEmpty {
                let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
                let meta = try #require(object["_meta"] as? [String: Any])
                levels.insert(meta["logLevelName"] as? String ?? "")
                let time = object["time"] as? String ?? ""
                if time.hasSuffix("Z") { offsets.utc = true } else if time.hasSuffix("+02:00") { offsets.local = true }
            }
        }
        #expect(levels.isSuperset(of: ["INFO", "WARN", "ERROR"]))
        #expect(offsets.utc && offsets.local)
        #expect(has("embedded run agent end") == false)  // gateway text stays out of transcripts
        let gatewayText = gateway.values.reduce(into: Data()) { $0.append($1) }
        #expect(gatewayText.range(of: Data("embedded_run_failover_decision".utf8)) != nil)
        #expect(gatewayText.range(of: Data("lane task error".utf8)) != nil)

        // The four required providers, cache tokens, and the manifest's own trap counters.
        #expect(Set(manifest.calls_by_provider.keys).isSuperset(of: ["anthropic", "openai", "google", "openrouter"]))
        #expect(manifest.exponent_costs > 0 && manifest.unpriced_calls > 0 && manifest.zero_cost_calls_with_tokens > 0)
        #expect(manifest.duplicate_entries > 0 && manifest.prompt_errors > 0 && manifest.lone_surrogates > 0)
    }

    /// A year of a fleet logs more than 9,223 USD, past what 64 bits of femto-dollars hold: the
    /// per-agent manifests merge without a trap, exactly, and the JSON carries the whole integer.
    @Test func manifestCostsPastSixtyFourBitsMergeExactly() throws {
        var total = GenerationManifest(), agent = GenerationManifest()
        total.cost_logged_femto_usd = Int128(Int64.max)
        total.cost_logged_by_day_femto_usd["2026-11-30"] = Int128(Int64.max)
        agent.cost_logged_femto_usd = 12_345_000_000_000_000_000  // 12,345 USD
        agent.cost_logged_by_day_femto_usd["2026-11-30"] = 1
        total.merge(agent)
        #expect(total.cost_logged_femto_usd == Int128(Int64.max) + 12_345_000_000_000_000_000)
        #expect(total.cost_logged_by_day_femto_usd["2026-11-30"] == Int128(Int64.max) + 1)
        let json = String(decoding: try JSONEncoder().encode(total), as: UTF8.self)
        #expect(json.contains("\"cost_logged_femto_usd\":21568372036854775807"))
        #expect(try JSONDecoder().decode(GenerationManifest.self, from: Data(json.utf8)).cost_logged_femto_usd == total.cost_logged_femto_usd)
    }

    @Test func seasonalityGrowthAndTheAnomalousDay() throws {
        let options = GenerateFixture.options(days: 56, agents: 3, callsPerDay: 30)
        let (dir, manifest) = try GenerateFixture.generate(options)
        defer { dir.remove() }
        var weekend: [Int] = [], weekday: [Int] = []
        for offset in 0..<options.days {
            let day = options.startDay + Int64(offset)
            var key = ByteSink()
            key.date(day)
            let calls = manifest.calls_by_day[String(decoding: key.bytes, as: UTF8.self)] ?? 0
            if UTCDate.weekday(days: day) >= 5 { weekend.append(calls) } else { weekday.append(calls) }
        }
        let mean = { (xs: [Int]) in Double(xs.reduce(0, +)) / Double(max(xs.count, 1)) }
        #expect(mean(weekend) < mean(weekday) * 0.7)
        let byDay = manifest.calls_by_day.sorted { $0.key < $1.key }.map(\.value)
        #expect(mean(Array(byDay.suffix(14))) > mean(Array(byDay.prefix(14))) * 1.3)
        let costliest = manifest.cost_logged_by_day_femto_usd.max { $0.value < $1.value }
        #expect(costliest?.key == manifest.anomaly_day)
        let others = manifest.cost_logged_by_day_femto_usd.filter { $0.key != manifest.anomaly_day }.map(\.value).sorted()
        let costliestFemto = costliest?.value ?? 0, median = others[others.count / 2]
        #expect(costliestFemto > 3 * median)
    }

    private func containsRegex(_ data: Data, _ pattern: String) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        return text.range(of: pattern, options: .regularExpression) != nil
    }
}

/// The committed sample and `--target-mb`.
@Suite struct GenerateSampleTests {
    @Test func committedSampleIsReproducible() throws {
        // The command in samples/README.md (its invoices also bill samples/store's calls).
        var options = GeneratorOptions(
            days: 60, agents: 4, callsPerDay: 5, seed: 42,
            endDay: UTCDate.days(year: 2026, month: 6, day: 30))
        var store = GeneratorOptions(days: 30, agents: 3, callsPerDay: 4, seed: 43, endDay: UTCDate.days(year: 2026, month: 6, day: 30))
        store.store = .current
        options.billAlso = [store]
        let (dir, _) = try GenerateFixture.generate(options)
        defer { dir.remove() }
        let samples = PythonOracle.repositoryRoot.appendingPathComponent("samples").path
        // README.md and the sample config are written by hand, not by the generator.
        let committed = GenerateFixture.files(under: samples).filter {
            !$0.key.hasSuffix("README.md") && !$0.key.hasSuffix("homebase.json") && !$0.key.hasPrefix("store/")
        }
        let fresh = GenerateFixture.files(under: dir.path)
        #expect(committed.count > 200)
        let differing = Set(committed.keys).symmetricDifference(fresh.keys).union(
            committed.keys.filter { fresh[$0] != nil && fresh[$0] != committed[$0] })
        #expect(
            differing.isEmpty,
            "samples/ differs from a fresh run in \(differing.sorted().prefix(5)); regenerate with the command in samples/README.md")
    }

    @Test func committedStoreSampleIsReproducible() throws {
        // The second command in samples/README.md (its gateway logs are not kept).
        var options = GeneratorOptions(
            days: 30, agents: 3, callsPerDay: 4, seed: 43,
            endDay: UTCDate.days(year: 2026, month: 6, day: 30))
        options.store = .current
        let (dir, _) = try GenerateFixture.generate(options)
        defer { dir.remove() }
        let samples = PythonOracle.repositoryRoot.appendingPathComponent("samples/store").path
        let committed = GenerateFixture.files(under: samples)
        // Its gateway logs and invoices are not kept (samples/ bills its calls).
        let fresh = GenerateFixture.files(under: dir.path).filter {
            !$0.key.hasPrefix("gateway/") && !$0.key.hasPrefix("invoices/") && $0.key != "fx-rates.csv" && $0.key != "invoice-gaps.json"
        }
        #expect(committed.keys.contains { $0.hasSuffix("openclaw-agent.sqlite") } && committed.keys.contains { $0.hasSuffix(".zst") })
        let differing = Set(committed.keys).symmetricDifference(fresh.keys).union(
            committed.keys.filter { fresh[$0] != nil && fresh[$0] != committed[$0] })
        #expect(
            differing.isEmpty,
            "samples/store differs from a fresh run in \(differing.sorted().prefix(5)); regenerate with the command in samples/README.md")
    }

    @Test func targetMegabytesScalesTheOutput() throws {
        var options = GenerateFixture.options(days: 14, agents: 2, callsPerDay: 10)
        options.targetMB = 6
        let (dir, manifest) = try GenerateFixture.generate(options)
        defer { dir.remove() }
        let mb = Double(manifest.transcript_bytes) / 1_048_576
        #expect(mb > 6 * 0.85 && mb < 6 * 1.15, "\(mb) MB")
        options.targetMB = 2
        let (small, smallManifest) = try GenerateFixture.generate(options)
        defer { small.remove() }
        let smallMB = Double(smallManifest.transcript_bytes) / 1_048_576
        #expect(smallMB > 2 * 0.8 && smallMB < 2 * 1.2, "\(smallMB) MB")
    }

    /// `--small-files`: the same size reached with more calls of the usual size, as a real
    /// installation writes them (more, smaller session files), instead of larger tool results.
    @Test func smallFilesReachTheSizeWithMoreCallsOfTheUsualSize() throws {
        var options = GenerateFixture.options(days: 5, agents: 1, callsPerDay: 10)
        let large = OpenClawGenerator.calibrate(options, targetMB: 60)  // past 400 calls a day
        options.smallFiles = true
        let small = OpenClawGenerator.calibrate(options, targetMB: 60)
        #expect(large.callsPerDay == 400 && large.sizeScale > 1.5, "\(large.callsPerDay) calls a day, sizes ×\(large.sizeScale)")
        #expect(small.callsPerDay > 400 && small.sizeScale == 1, "\(small.callsPerDay) calls a day, sizes ×\(small.sizeScale)")
        let (dir, manifest) = try GenerateFixture.generate(small)
        defer { dir.remove() }
        let mb = Double(manifest.transcript_bytes) / 1_048_576
        #expect(mb > 60 * 0.85 && mb < 60 * 1.15, "\(mb) MB")
    }
}
