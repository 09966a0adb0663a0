extension AnomalyScorer {
    /// The scorer's parameters. Units: z is a residual over the robust residual scale; counts are points.
    package struct Configuration: Sendable, Equatable, Codable {
        /// |z| at which the score is 0.5, the alert threshold (score = z⁴ / (z⁴ + alertZ⁴)).
        package var alertZ = 4.0
        /// |z| from which consecutive same-side points count towards a level shift.
        package var shiftZ = 3.0
        /// Consecutive points at or beyond `shiftZ` on one side that make a new normal: the level
        /// is reset to their median and the trend to 0.
        package var shiftConfirm = 3
        /// The point that confirms a level shift scores at least 0.5 (one alert per shift, also
        /// for a shift or a ramp whose points stayed between shiftZ and alertZ).
        package var alertOnShift = true
        /// Smoothing of the level (share of each clipped residual taken into the level), when
        /// `adaptiveAlpha` is off.
        package var alpha = 0.15
        /// Estimate the level smoothing from the warm-up instead: the local-level model's optimal
        /// alpha for the lag-1 autocorrelation r of the deseasonalised changes (signal-to-noise
        /// q = −1/r − 2, alpha = (−q + √(q² + 4q)) / 2), kept within minimumAlpha…maximumAlpha.
        /// White noise (r ≈ −0.5) gets a slow level, a smooth series (electricity demand) a fast one.
        package var adaptiveAlpha = true
        package var minimumAlpha = 0.05
        package var maximumAlpha = 0.8
        /// Smoothing of the trend, as a share of the level's correction (error-correction Holt).
        /// Off by default: with long seasons (288 five-minute phases) the trend, the level and the
        /// phase medians fed each other into growing swings; without it a drift of d per point
        /// is followed with a lag of d·(1 − alpha)/alpha.
        package var beta = 0.0
        /// Per-step damping of the trend (1 = no damping).
        package var damping = 0.95
        /// Residuals are clipped at `clip` scales before they update level, trend and season,
        /// so a spike moves the baseline by at most alpha·clip scales.
        package var clip = 2.0
        /// Cycles kept per phase; the seasonal effect is the median of the phase's last `seasonCycles` values.
        package var seasonCycles = 8
        /// Absolute residuals kept for the scale (1.4826 × their median).
        package var scaleWindow = 64
        /// The scale is at least this share of |level| (a flat line does not make every wobble infinite).
        package var relativeScaleFloor = 0.01
        /// The scale is at least this, in the series' units.
        package var absoluteScaleFloor = 0.0
        /// Fewest present values before anything is scored.
        package var warmupMinimum = 14
        /// Most points held while warming up (bounds memory; a weekly season of 5-minute data fits).
        package var warmupMaximum = 4096
        /// Out-of-sample strength a daily or weekly season needs to be used.
        package var seasonalityThreshold = 0.05
        /// Largest number of phases a season may have (bounds memory: phases × seasonCycles values).
        package var maxPhases = 20_000

        package init() {}
    }
}
