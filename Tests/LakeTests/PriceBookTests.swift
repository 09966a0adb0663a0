import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import HomeBaseCLI
@testable import TestSupport

@Suite struct PriceBookTests {
    @Test func costByHand() {
        // 1000 input × $3 + 500 output × $15 + 2000 cache read × $0.30 + 100 cache write × $3.75, per million.
        let price = ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75)
        let cost = price.cost(input: 1000, output: 500, cacheRead: 2000, cacheWrite: 100)
        #expect(abs(cost - (0.003 + 0.0075 + 0.0006 + 0.000375)) < 1e-12)
        // Unknown cache prices fall back to the input price.
        #expect(abs(ModelPrice(input: 2, output: 8).cost(input: 0, output: 0, cacheRead: 1_000_000, cacheWrite: 0) - 2) < 1e-12)
    }

    @Test(arguments: [
        ("anthropic", "claude-sonnet-4-5", 3.0),
        ("anthropic", "claude-sonnet-4-5-20250929", 3.0),
        ("openrouter", "anthropic/claude-3.7-sonnet", 3.0),
        ("anthropic", "Claude-Haiku-4-5", 1.0),
        ("openai", "gpt-4o-2024-08-06", 2.5),
        ("openai", "gpt-4o-mini", 0.15),
        ("ollama", "qwen3.5:9b", 0.0)
    ])
    func lookups(provider: String, model: String, input: Double) {
        #expect(PriceBook.shipped.price(provider: provider, model: model)?.input == input)
    }

    @Test func unknownModelsHaveNoPrice() {
        #expect(PriceBook.shipped.price(provider: "custom-customb2", model: "coder-model") == nil)
    }

    @Test func userFileOverridesAndLiteLLMImports() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let litellm = dir.file("litellm.json")
        try """
        {"sample_spec": {"input_cost_per_token": 0},
         "coder-model": {"input_cost_per_token": 1.5e-06, "output_cost_per_token": 6e-06, "cache_read_input_token_cost": 1.5e-07, "mode": "chat"},
         "openrouter/acme/tiny": {"input_cost_per_token": 1e-07, "output_cost_per_token": 2e-07},
         "broken": {"mode": "chat"}}
        """.write(toFile: litellm, atomically: true, encoding: .utf8)
        let imported = try PriceBook.importLiteLLM(file: litellm)
        #expect(imported.count == 2)
        try PriceBook.writeUserFile(imported, to: PriceBook.userFile(dataDir: dir.path), asOf: "2026-11-25")
        let book = try PriceBook.load(dataDir: dir.path)
        let coder = try #require(book.price(provider: "custom-customb2", model: "coder-model"))
        #expect(abs(coder.input - 1.5) < 1e-9 && abs(coder.output - 6) < 1e-9 && abs((coder.cacheRead ?? 0) - 0.15) < 1e-9)
        #expect(abs((book.price(provider: "openrouter", model: "acme/tiny")?.output ?? 0) - 0.2) < 1e-9)
        #expect(book.price(provider: "anthropic", model: "claude-sonnet-4-5")?.input == 3)
    }

    @Test func badPriceFileNamesTheFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try "{\"prices\": {\"x/y\": {\"input\": \"cheap\"}}}".write(toFile: dir.file("p.json"), atomically: true, encoding: .utf8)
        #expect(throws: PriceFileError.self) { try PriceBook.load(dataDir: dir.path, extraFile: dir.file("p.json")) }
        do { _ = try PriceBook.load(dataDir: dir.path, extraFile: dir.file("p.json")) } catch {
            #expect("\(error)".contains("p.json") && "\(error)".contains("x/y"))
        }
    }
}

@Suite struct PricesCommandTests {
    @Test func importThenIngestPricesTheModel() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        let litellm = fixture.dir.file("litellm.json")
        // mystery: 10 input × $2 + 10 output × $4 per million = $0.00006.
        try #"{"custom-x/mystery": {"input_cost_per_token": 2e-06, "output_cost_per_token": 4e-06}}"#
            .write(toFile: litellm, atomically: true, encoding: .utf8)
        let console = Console.capturing()
        #expect(CommandLineTool.run(["prices", "import", "litellm", litellm, "--data", fixture.dataDir], console: console) == .success)
        #expect(console.capturedOut.contains("imported 1 model prices"))
        #expect(CommandLineTool.run(["prices", "import", "litellm", "/nonexistent.json", "--data", fixture.dataDir], console: console) == .failure)
        #expect(CommandLineTool.run(["prices", "import", "bogus"], console: console) == .usage)
        let summary = try fixture.ingest()
        #expect(summary.unpricedCalls == 0)
        #expect(try fixture.query("SELECT cost_source, round(cost_usd, 12) FROM requests WHERE entry_id = 'a5'") == [["priced", "6e-05"]])
    }
}
