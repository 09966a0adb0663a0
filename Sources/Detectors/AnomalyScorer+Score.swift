extension AnomalyScorer {
    /// What the scorer said about one point.
    package enum Status: String, Sendable, Codable {
        /// Too little history yet: no score (the first points of every series).
        case warmingUp = "warming_up"
        /// The point has no value: no score, nothing learned.
        case missing
        case scored
        /// Scored, and the last `shiftConfirm` points made a new normal: the level was reset.
        case levelShift = "level_shift"
    }

    /// The score of one point.
    package struct Score: Sendable, Equatable {
        package var status: Status
        /// In [0, 1]; nil unless the status is scored or levelShift.
        package var score: Double?
        /// The residual over the robust scale (signed; ±infinity when the scale is 0 and the value moved).
        package var z: Double?
        /// The baseline the point was compared with.
        package var expected: Double?

        package init(status: Status, score: Double? = nil, z: Double? = nil, expected: Double? = nil) {
            self.status = status
            self.score = score
            self.z = z
            self.expected = expected
        }

        /// At or over the alert threshold (score ≥ 0.5, that is |z| ≥ alertZ).
        package var isAlert: Bool { (score ?? 0) >= 0.5 }
    }

    /// z⁴ / (z⁴ + alertZ⁴): 0 at z = 0, 0.5 at the alert threshold, 1 as |z| → ∞.
    package static func score(z: Double, alertZ: Double) -> Double {
        guard !z.isNaN else { return 0 }
        if z == 0 { return 0 }
        let ratio = alertZ / abs(z)
        let r2 = ratio * ratio
        return 1 / (1 + r2 * r2)
    }
}
