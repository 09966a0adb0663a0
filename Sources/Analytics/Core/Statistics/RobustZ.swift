import HomeBaseCore
/// Robust z-scores: (x − median) / (1.4826·MAD), so that a normal series has unit scale but a few
/// wild points cannot inflate the scale. When MAD is 0 (over half the points equal) the scale
/// falls back to 1.2533·mean absolute deviation (Iglewicz & Hoaglin); when that is 0 too, every score is 0.
package struct RobustZ: Sendable, Equatable {
    package var median: Double
    /// The scale in the units of the values (1.4826·MAD or the fallback).
    package var scale: Double

    /// Fits the median and scale of `values`; nil when empty.
    package init?(_ values: [Double]) {
        guard let median = Percentile.median(values) else { return nil }
        self.median = median
        let deviations = values.map { abs($0 - median) }
        let mad = Percentile.median(deviations) ?? 0
        if mad > 0 {
            scale = 1.4826 * mad
        } else {
            let meanAD = deviations.reduce(0, +) / Double(deviations.count)
            scale = 1.2533 * meanAD
        }
    }

    /// The score of `value`.
    package func score(_ value: Double) -> Double {
        scale > 0 ? (value - median) / scale : 0
    }
}
