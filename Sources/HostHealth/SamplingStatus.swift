import Foundation

/// What `doctor` says about sampling: when the last sample was taken (from the sampler's state
/// file, which survives folds) and how many wait in the spool for the next ingest.
package struct SamplingStatus: Sendable, Equatable {
    package var lastSampleMicros: Int64?
    package var pendingSamples: Int
    /// True when the last sample is at most `factor ×` the expected interval old.
    package var arriving: Bool
    package var message: String

    package static func check(_ spool: SampleSpool, nowMicros: Int64, expectedIntervalSeconds: Double = 60, factor: Double = 3) -> SamplingStatus {
        let live = (try? spool.read()) ?? SampleSpool.Contents()
        let folding = (try? spool.read(spool.foldingPath)) ?? SampleSpool.Contents()
        let pending = live.samples.count + folding.samples.count
        let last = ([SamplerState.load(from: spool.statePath)?.tsMicros] + (live.samples + folding.samples).map(\.tsMicros)).compactMap { $0 }.max()
        guard let last else {
            return SamplingStatus(
                lastSampleMicros: nil, pendingSamples: 0, arriving: false,
                message: "no host samples yet: add `* * * * * homebase sample --config <file>` to cron (docs/health.md)")
        }
        let age = Double(nowMicros - last) / 1_000_000
        let arriving = age <= expectedIntervalSeconds * factor
        let ago = age < 120 ? "\(Int(age.rounded())) s" : "\(HealthRules.format(age / 60)) min"
        return SamplingStatus(
            lastSampleMicros: last, pendingSamples: pending, arriving: arriving,
            message: arriving
                ? "host samples arriving: last \(ago) ago, \(pending) waiting for the next ingest"
                : "no host sample for \(ago) (expected every \(HealthRules.format(expectedIntervalSeconds)) s): check the cron line and `homebase sample` by hand"
        )
    }
}
