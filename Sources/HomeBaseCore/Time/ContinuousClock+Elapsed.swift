extension ContinuousClock.Instant {
    /// Seconds from this instant to now (a stage's or a phase's wall time).
    package var secondsElapsed: Double {
        let elapsed = ContinuousClock.now - self
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
