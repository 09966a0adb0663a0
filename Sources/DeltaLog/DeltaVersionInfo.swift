/// One committed version as its `commitInfo` tells it.
package struct DeltaVersionInfo: Sendable, Equatable {
    package var version: Int64
    /// The catalog snapshot it publishes; nil for a version some other engine wrote.
    package var snapshot: Int64?
    package var timestampMillis: Int64?
    package var operation: String?
}
