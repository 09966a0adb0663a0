import HomeBaseCore
import SQLiteStore
/// Anomaly scores of a series with a season (weekday for days, hour of day for hours): the
/// seasonal effect (median of the season's values − median of all) is removed first, then the
/// residuals get robust z-scores. `expected` is what the point would be with a typical residual.
/// Without two full seasons of present values no seasonal effect is removed.
package struct SeasonalRobustZ: Sendable, Equatable {
    package var scores: [Double?]
    package var expected: [Double?]

    /// `season[i]` in 0..<period is point i's season; nil values are missing and get no score.
    package init(_ values: [Double?], season: [Int], period: Int) {
        let present = values.indices.filter { values[$0] != nil }
        var effect = [Double](repeating: 0, count: period)
        if present.count >= 2 * period, let overall = Percentile.median(present.map { values[$0]! }) {
            for k in 0..<period {
                let members = present.filter { season[$0] == k }.map { values[$0]! }
                if let median = Percentile.median(members) { effect[k] = median - overall }
            }
        }
        let residual = values.indices.map { i in values[i].map { $0 - effect[season[i]] } }
        guard let robust = RobustZ(residual.compactMap { $0 }) else {
            scores = values.map { _ in nil }
            expected = scores
            return
        }
        scores = residual.map { $0.map(robust.score) }
        expected = values.indices.map { i in values[i] == nil ? nil : robust.median + effect[season[i]] }
    }
}
