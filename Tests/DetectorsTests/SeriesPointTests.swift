import Testing
@testable import Detectors

@Suite struct SeriesPointTests {
    @Test func holdsValues() { #expect(SeriesPoint(micros: 1, value: nil).value == nil) }
}
