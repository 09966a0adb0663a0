import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Ingest
@testable import TestSupport

/// Hand-written exports (synthetic values, shapes from reference/provider-invoices.md) → parsed
/// lines. Every expected total is worked out by hand in the comment above it.
enum InvoiceFixtures {
    static let dir = PythonOracle.repositoryRoot.path + "/Tests/TestSupport/Fixtures/invoices"

    static func parse(_ name: String, aliases: ModelAliases = .shipped) throws -> InvoiceParseResult {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
        return try InvoiceFile.parse(bytes, path: name, aliases: aliases)
    }
}

extension InvoiceParseResult {
    var total: Money { lines.reduce(Money.zero) { $0 + ($1.billedCost ?? .zero) } }
    /// Σ ConsumedQuantity per x_TokenType (`-` for rows without one).
    var quantities: [String: Double] {
        lines.reduce(into: [:]) { sums, line in
            if let q = line.consumedQuantity { sums[line.tokenType?.rawValue ?? "-", default: 0] += q }
        }
    }
    func cost(on date: String) -> Money { lines.filter { $0.date == date }.reduce(Money.zero) { $0 + ($1.billedCost ?? .zero) } }
}

@Suite struct InvoiceParserTests {
    @Test func openAICostsJSONKeepsStringAmountsExact() throws {
        let r = try InvoiceFixtures.parse("openai-costs.json")
        #expect(r.format == .openAICostsJSON)
        // 09-01: 0.8421 + 0.0000045 (39-decimal string) + 0 ("0E-6176"); "abc" quarantined.
        #expect(r.cost(on: "2025-09-01") == Money("0.8421045"))
        // 09-02: 3.12 ("3.1200000000") + 0.01 (web search, token class Other).
        #expect(r.cost(on: "2025-09-02") == Money("3.13"))
        // 09-03: an empty bucket, kept as a $0 line so the day counts as covered.
        #expect(r.lines.filter { $0.date == "2025-09-03" }.map(\.billedCost) == [Money.zero])
        #expect(r.total.description == "3.9721045")
        #expect(r.lines.count == 6)
        #expect(r.bad.map(\.line) == [4])
        #expect(r.bad.first?.reason.contains("amount.value") == true)
        #expect(r.lines.map { $0.tokenType?.rawValue ?? "-" } == ["Input", "CacheRead", "Output", "Output", "Other", "-"])
        #expect(r.lines[0].model == "gpt-4-1" && r.lines[0].modelRaw == "gpt-4.1-2025-04-14")
        #expect(r.lines[0].consumedQuantity == 421_050 && r.lines[0].billingCurrency == "USD")
        #expect(r.lines[0].subAccountId == "proj_demoA1" && r.lines[0].serviceProviderName == "OpenAI")
        #expect(r.lines[0].chargePeriodEnd - r.lines[0].chargePeriodStart == 86_400_000_000)
    }

    @Test func openAICostsCSVWithQuotedLineItems() throws {
        let r = try InvoiceFixtures.parse("openai-costs.csv")
        #expect(r.format == .openAICostsCSV)
        // 0.41 + 1.96 + 0.0333333333333 = 2.4033333333333; the empty bucket row adds a $0 line.
        #expect(r.total.description == "2.4033333333333")
        #expect(r.lines.count == 4 && r.bad.isEmpty)
        #expect(r.lines.map { $0.tokenType?.rawValue ?? "-" } == ["Input", "Output", "CacheRead", "-"])
        #expect(r.lines[0].model == "gpt-4o-mini" && r.lines[0].sourceLine == 2)
        #expect(r.lines[0].chargeDescription == "gpt-4o-mini-2024-07-18, input")
    }

    @Test func openAIUsageJSONNormalisesInputTokens() throws {
        let r = try InvoiceFixtures.parse("openai-usage.json")
        #expect(r.format == .openAIUsageJSON)
        // Input: (120000 − 80000 cached) + 4000 (input_uncached_tokens given) = 44000.
        // CacheRead 80000 + 0; CacheWrite 1000; Output 9000 + 700; Requests 42 + 3.
        #expect(r.quantities == ["Input": 44_000, "CacheRead": 80_000, "CacheWrite": 1_000, "Output": 9_700, "Requests": 45])
        // The third result has more cached than total input tokens.
        #expect(r.bad.map(\.line) == [3])
        #expect(r.lines.allSatisfy { $0.billedCost == nil && $0.dataset == .usage })
        #expect(Set(r.lines.compactMap(\.model)) == ["gpt-4-1-mini", "gpt-5"])
    }

    @Test func openAIUsageCSVReadsPandasNumbers() throws {
        let r = try InvoiceFixtures.parse("openai-usage.csv")
        #expect(r.format == .openAIUsageCSV)
        // Row 2: uncached 2584, cached 1024, output 412, 2 requests ("2.0"); row 1 is an empty
        // bucket (one coverage line), row 3 has 10.5 input tokens: quarantined at line 4.
        #expect(r.quantities == ["Input": 2_584, "CacheRead": 1_024, "Output": 412, "Requests": 2])
        #expect(r.lines.count == 5)
        #expect(r.lines[0].date == "2026-03-13" && r.lines[0].tokenType == nil)
        #expect(r.bad.count == 1 && r.bad[0].line == 4 && r.bad[0].reason.contains("input_tokens"))
    }

    @Test func anthropicCostJSONIsInCents() throws {
        let r = try InvoiceFixtures.parse("anthropic-cost.json")
        #expect(r.format == .anthropicCostJSON)
        // 09-03: "1230.5" + "20.7" cents = $12.305 + $0.207 = $12.512.
        #expect(r.cost(on: "2025-09-03") == Money("12.512"))
        // 09-04: "40" + "0.123456789" cents = $0.40 + $0.00123456789.
        #expect(r.cost(on: "2025-09-04") == Money("0.40123456789"))
        #expect(r.total.description == "12.91323456789")  // read as dollars it would be 1291.32…
        #expect(r.lines.map { $0.tokenType?.rawValue ?? "-" } == ["Output", "CacheRead", "Other", "Input"])
        #expect(r.lines[0].model == "claude-sonnet-4-5" && r.lines[0].subAccountId == "wrkspc_demo1")
        #expect(r.lines[2].model == nil && r.lines[2].chargeDescription == "Web Search")
    }

    @Test func anthropicUsageJSONKeepsDisjointClasses() throws {
        let r = try InvoiceFixtures.parse("anthropic-usage.json")
        #expect(r.format == .anthropicUsageJSON)
        // Input 41000 + 900000; CacheRead 690000; 5m writes 52000; 1h writes 3000; Output 18000 + 120000; 4 web searches.
        #expect(
            r.quantities == [
                "Input": 941_000, "CacheRead": 690_000, "CacheWrite5m": 52_000, "CacheWrite1h": 3_000,
                "Output": 138_000, "Other": 4
            ])
        #expect(r.lines.count == 8 && r.bad.isEmpty)
        let hourly = try #require(r.lines.first { $0.model == "claude-haiku-4-5" })
        #expect(UTCDate.isoString(micros: hourly.chargePeriodStart).hasPrefix("2025-09-03T14:00:00"))
        #expect(hourly.apiKeyId == "apikey_demo7")
        #expect(r.lines.first { $0.tokenType == .other }?.consumedUnit == "Web Search Requests")
    }

    @Test func anthropicConsoleUsageCSVOlderExportWithBOMAndCRLF() throws {
        let r = try InvoiceFixtures.parse("anthropic-console-usage-old.csv")
        #expect(r.format == .anthropicUsageCSV)
        // Input 1000 + 50; 5m writes 200; CacheRead 5000; Output 300 + 20; 1 web search; row 4 ("x") quarantined.
        #expect(r.quantities == ["Input": 1_050, "CacheWrite5m": 200, "CacheRead": 5_000, "Output": 320, "Other": 1])
        #expect(r.bad.map(\.line) == [4])
        let hour = try #require(r.lines.first { $0.modelRaw == "claude-3-5-haiku-20241022" })
        #expect(hour.chargePeriodEnd - hour.chargePeriodStart == 3_600_000_000)  // "2025-07-01 14:00" is an hour
        #expect(hour.model == "claude-3-5-haiku" && hour.subAccountId == "Claude Code" && hour.apiKeyId == "agent-prod")
    }

    @Test func anthropicConsoleCostCSVMapsDisplayNames() throws {
        let r = try InvoiceFixtures.parse("anthropic-console-cost.csv")
        #expect(r.format == .anthropicCostCSV)
        // Dollars, not cents: 0.21 + 0.27 + 0.000125 = 0.480125.
        #expect(r.total.description == "0.480125")
        #expect(r.lines.map(\.model) == ["claude-sonnet-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"])
        #expect(r.lines.map { $0.tokenType?.rawValue ?? "-" } == ["CacheRead", "Output", "Input"])
    }

    @Test func openRouterActivityCSV() throws {
        let r = try InvoiceFixtures.parse("openrouter-activity.csv")
        #expect(r.format == .openRouterActivityCSV)
        // 09-04: 0.01842 + 0.00061 (23:59:59.999 UTC is still the 4th); 09-05: 0.000001.
        #expect(r.cost(on: "2025-09-04") == Money("0.01903"))
        #expect(r.cost(on: "2025-09-05") == Money("0.000001"))
        // Input = (5022 − 3900) + (1180 − 1024) + 10 = 1288; CacheRead 3900 + 1024; Output 712 + 81 (reasoning inside); 3 requests.
        #expect(r.quantities == ["Input": 1_288, "CacheRead": 4_924, "Output": 793, "Requests": 3])
        #expect(r.bad.map(\.line) == [5])
        let first = r.lines[0]
        #expect(first.generationId == "gen-1-AAAA" && first.hostProviderName == "Anthropic" && first.model == "claude-sonnet-4-5")
        #expect(first.chargePeriodEnd - first.chargePeriodStart == 2_105_000)
        #expect(first.serviceProviderName == "OpenRouter")
    }

    @Test func focusCSVVersion12() throws {
        let r = try InvoiceFixtures.parse("focus-1.2.csv")
        #expect(r.format == .focusCSV)
        // 0.207 + 0.41 + 0.05 (Tax) = 0.667; the row with no BilledCost is quarantined (line 5).
        #expect(r.total.description == "0.667")
        #expect(r.lines.map(\.serviceProviderName) == ["Anthropic", "OpenAI", "OpenAI"])
        #expect(r.lines.map(\.chargeCategory) == ["Usage", "Usage", "Tax"])
        #expect(r.lines.map { $0.tokenType?.rawValue ?? "-" } == ["CacheRead", "Input", "-"])  // SkuMeter, x_TokenType
        #expect(r.bad.map(\.line) == [5])
    }

    @Test func formatComesFromContentNotName() throws {
        // The OpenRouter export under a misleading name is still read as OpenRouter.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: InvoiceFixtures.dir + "/openrouter-activity.csv")))
        #expect(try InvoiceFile.parse(bytes, path: "anthropic_cost.json", aliases: .shipped).format == .openRouterActivityCSV)
        #expect(throws: InvoiceFile.Unrecognised.self) { try InvoiceFile.parse(Array("a,b\n1,2\n".utf8), path: "x.csv", aliases: .shipped) }
        #expect(throws: InvoiceFile.Unrecognised.self) { try InvoiceFile.parse(Array("{\"data\":[]}".utf8), path: "x.json", aliases: .shipped) }
    }

    @Test func modelAliasesMeetAcrossSpellings() throws {
        let a = ModelAliases.shipped
        #expect(a.model("Claude Haiku 4.5") == "claude-haiku-4-5")
        #expect(a.model("claude-haiku-4-5-20251001") == "claude-haiku-4-5")
        #expect(a.model("anthropic/claude-4.5-sonnet-20250929") == "claude-sonnet-4-5")
        #expect(a.model("anthropic/claude-3.7-sonnet") == "claude-3-7-sonnet")
        #expect(a.model("gpt-4.1-2025-04-14") == "gpt-4-1")
        #expect(a.model("Claude 3.5 Haiku") == "claude-3-5-haiku")
        let dir = TemporaryDirectory("homebase-aliases")
        defer { dir.remove() }
        try #"{"models": {"Mystery Model": "gpt-5"}, "providers": {"emergent-claude": "Anthropic"}}"#
            .write(toFile: dir.file(ModelAliases.fileName), atomically: true, encoding: .utf8)
        let user = try ModelAliases.load(dataDir: dir.path)
        #expect(user.model("mystery-model") == "gpt-5")
        #expect(user.provider("Emergent-Claude") == "anthropic")
        #expect(user.model("Claude Haiku 4.5") == "claude-haiku-4-5")
        try "{\"models\": [1]}".write(toFile: dir.file(ModelAliases.fileName), atomically: true, encoding: .utf8)
        #expect(throws: AliasFileError.self) { try ModelAliases.load(dataDir: dir.path) }
    }
}
