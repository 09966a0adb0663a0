/// One point of a metric series: a UTC instant in microseconds and its value (nil when missing).
package struct SeriesPoint: Sendable, Equatable {
    package var micros: Int64
    package var value: Double?

    package init(micros: Int64, value: Double?) {
        self.micros = micros
        self.value = value
    }
}
