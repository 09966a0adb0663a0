/// The running state of one session while its turns are generated.
struct SessionState {
    var sid: (UInt64, UInt64)
    /// Index into `ModelProfile.all` of the model currently selected.
    var profile: Int
    /// The session's clock (epoch ms): the time of the last thing that happened.
    var clock: Int64
    var features: SessionFeatures
    /// Prompt size so far (tokens).
    var context = 10_000
    /// When set, message entries get this (later) append time instead of their own: rewritten rows.
    var rewriteBaseMs: Int64?
    var rewriteCount: Int64 = 0
    /// Indices into the writer's `entryLines` of counted LLM calls (for successor duplicates).
    var callLines: Set<Int> = []
    /// Indices into the writer's `entryLines` of synthetic assistant rows.
    var syntheticLines: Set<Int> = []
    var forcedErrorCursor = 0
    var negativeLatencyDone = false
    var loneSurrogateDone = false
    var hugeDone = false

    init(sid: (UInt64, UInt64), profile: Int, clock: Int64, features: SessionFeatures) {
        self.sid = sid
        self.profile = profile
        self.clock = clock
        self.features = features
    }

    /// The entry timestamp for something that really happened at `ms`.
    mutating func entryTime(_ ms: Int64) -> Int64 {
        guard let base = rewriteBaseMs else { return ms }
        rewriteCount += 1
        return base + rewriteCount / 3
    }
}
