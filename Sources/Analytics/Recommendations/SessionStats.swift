import HomeBaseCore
/// One session's calls in the period: count, cost, output tokens and first call's start.
struct SessionStats {
    var agent: Int32
    var session: Int32
    var calls = 0
    var cost = 0.0
    var output: Int64 = 0
    var start = Int64.max

    var day: Int64 { UTCDate.dayNumber(micros: start) }

    /// Every (agent, session) of the table, ordered by agent, then start, then session name.
    static func all(_ calls: RecommendationCalls) -> [SessionStats] {
        calls.sessions.sorted {
            ($0.agent, $0.start, calls.name($0.session)) < ($1.agent, $1.start, calls.name($1.session))
        }
    }

    func evidence(_ calls: RecommendationCalls) -> SessionEvidence {
        SessionEvidence(sessionId: calls.name(session), calls: self.calls, costUSD: cost, date: UTCDate.dateString(days: day))
    }

    /// The most expensive sessions first (ties by id), at most `limit`.
    static func top(_ sessions: [SessionStats], _ calls: RecommendationCalls, limit: Int = 10) -> [SessionEvidence] {
        sessions.sorted { ($1.cost, calls.name($0.session)) < ($0.cost, calls.name($1.session)) }.prefix(limit).map { $0.evidence(calls) }
    }
}
