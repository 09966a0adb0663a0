import Foundation

/// A value handed to the one worker that continues it: `take` leaves the box empty, so the
/// worker holds the only reference and its first change does not copy every array the value
/// holds (a pass resumed from the saved state holds megabytes).
final class Handover<Value>: @unchecked Sendable {
    private var value: Value?
    private let lock = NSLock()

    init(_ value: consuming Value) { self.value = value }

    /// The value; once only.
    func take() -> Value {
        lock.withLock {
            guard let taken = value.take() else { preconditionFailure("Handover taken twice") }
            return taken
        }
    }
}
