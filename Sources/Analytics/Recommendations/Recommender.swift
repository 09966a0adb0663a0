import SQLiteStore
import Lake
/// Finds cost-saving recommendations in a period of the lake's `requests`, each priced from the
/// period's own calls and the price book, ranked by monthly saving, small ones left out.
package struct Recommender: Sendable {
    package var options: RecommendationOptions

    package init(options: RecommendationOptions = RecommendationOptions()) {
        self.options = options
    }

    /// Reads `requests` for the UTC dates `from...to` (inclusive) of the newest snapshot and the
    /// price book (`<data>/prices.json` over the shipped one, then `priceFile`), and recommends.
    /// - Throws: ``RecommendationError`` for a bad period; lake, catalog and price-file errors as they come.
    package func run(
        dataDir: String, from: String, to: String, priceFile: String? = nil,
        priceOverrides: [String: ModelPrice] = [:]
    ) throws -> [Recommendation] {
        let period = try RecommendationPeriod(from: from, to: to)
        let calls = try RecommendationCalls.load(dataDir: dataDir, period: period, options: options) {
            try PriceBook.load(dataDir: dataDir, extraFile: priceFile, overrides: priceOverrides)
        }
        return recommend(calls, period: period)
    }

    /// Every rule over `calls`, the floor applied, ranked by monthly saving (ties in a fixed order).
    func recommend(_ calls: RecommendationCalls, period: RecommendationPeriod) -> [Recommendation] {
        let context = RuleContext(calls: calls, period: period, options: options, book: calls.book)
        let sessions = SessionStats.all(calls)
        let all =
            PromptCachingRule.find(context) + RightSizingRule.find(context) + RetryWasteRule.find(context)
            + RunawaySessionRule.find(context, sessions: sessions) + IdleSpendRule.find(context, sessions: sessions)
        let order = Recommendation.Kind.allCases
        return all.filter { $0.monthlySavingUSD >= options.minimumMonthlySavingUSD && $0.monthlySavingUSD > 0 }
            .sorted { a, b in
                if a.monthlySavingUSD != b.monthlySavingUSD { return a.monthlySavingUSD > b.monthlySavingUSD }
                let ka = order.firstIndex(of: a.kind) ?? 0, kb = order.firstIndex(of: b.kind) ?? 0
                return (ka, a.agent ?? "", a.provider ?? "", a.model ?? "", a.title) < (kb, b.agent ?? "", b.provider ?? "", b.model ?? "", b.title)
            }
    }

    /// The dates of the lake's live `requests` partitions, first and last (nil for an empty lake):
    /// the default period when the user names none.
    package static func dataPeriod(dataDir: String) throws -> (from: String, to: String)? {
        let dates = try LakeScan(dataDir: dataDir, table: .requests).parts.map(\.date)
        guard let first = dates.min(), let last = dates.max() else { return nil }
        return (first, last)
    }
}
