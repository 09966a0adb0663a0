/// How one nightly stage ended, for the summary, the run log and the exit code.
package struct StageOutcome: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable {
        case ok, warnings, failed, skipped
    }

    package var stage: String
    package var status: Status
    package var seconds: Double
    /// One line for the cron mail: what the stage did.
    package var summary: String
    /// Things the operator should look at (warnings or the error).
    package var notes: [String]

    package init(stage: String, status: Status, seconds: Double = 0, summary: String, notes: [String] = []) {
        self.stage = stage
        self.status = status
        self.seconds = seconds
        self.summary = summary
        self.notes = notes
    }
}
