/// A stretch with no sample longer than `factor ×` the expected interval: the host, cron or the
/// sampler was down.
package struct SamplingGap: Sendable, Equatable {
    /// The last sample before the gap.
    package var fromMicros: Int64
    /// The first sample after it, or `now` when samples have stopped.
    package var toMicros: Int64
    /// True when no sample arrived since `fromMicros` up to `now`.
    package var ongoing: Bool

    package init(fromMicros: Int64, toMicros: Int64, ongoing: Bool) {
        self.fromMicros = fromMicros; self.toMicros = toMicros; self.ongoing = ongoing
    }

    package var seconds: Double { Double(toMicros - fromMicros) / 1_000_000 }

    /// The gaps between consecutive samples (one host's, any order) longer than
    /// `factor × expectedIntervalSeconds`, plus an ongoing one up to `nowMicros` when given.
    package static func find(
        _ samples: [HostSample], expectedIntervalSeconds: Double, factor: Double = 3,
        nowMicros: Int64? = nil
    ) -> [SamplingGap] {
        let limit = Int64(expectedIntervalSeconds * factor * 1_000_000)
        let times = samples.map(\.tsMicros).sorted()
        var gaps: [SamplingGap] = []
        for (earlier, later) in zip(times, times.dropFirst()) where later - earlier > limit {
            gaps.append(SamplingGap(fromMicros: earlier, toMicros: later, ongoing: false))
        }
        if let nowMicros, let last = times.last, nowMicros - last > limit {
            gaps.append(SamplingGap(fromMicros: last, toMicros: nowMicros, ongoing: true))
        }
        return gaps
    }
}
