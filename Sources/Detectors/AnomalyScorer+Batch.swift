extension AnomalyScorer {
    /// Scores a regular in-memory series (for `analyze`: daily or hourly metrics): value i is at
    /// `startMicros + i·intervalMicros`, nil values are missing. The same causal scorer as a stream.
    package static func scoreAll(
        _ values: [Double?], startMicros: Int64, intervalMicros: Int64,
        configuration: Configuration = Configuration()
    ) -> [Score] {
        var scorer = AnomalyScorer(configuration: configuration)
        return values.enumerated().map { scorer.score(SeriesPoint(micros: startMicros + Int64($0.offset) * intervalMicros, value: $0.element)) }
    }
}
