/// The report periods a config can schedule and mail: a day, an ISO week, a calendar month.
package enum ReportCadence: String, Sendable, CaseIterable { case daily, weekly, monthly }
