/// Which traps one session carries. Chosen at random, and forced one by one on the first
/// sessions of the first agent so that every trap appears in any output of a useful size.
struct SessionFeatures {
    var forcedProfile: Int?
    var forcedErrors: [Int] = []
    var successor = false
    var checkpoint = false
    var trajectory = false
    var bak = false
    var reset = false
    var deleted = false
    var topic = false
    var malformed = false
    var rewritten = false
    var loneSurrogate = false
    var huge = false
    var clawdbot = false
    var negativeLatency = false
    var cron = false

    /// The showcase list for agent 0: entry `i` is forced on its `i`-th session.
    static func forced(_ index: Int) -> SessionFeatures? {
        var f = SessionFeatures()
        switch index {
        case 0: f.forcedProfile = ModelProfile.exponentCostIndex
        case 1: f.forcedProfile = ModelProfile.unpricedIndex
        case 2: f.successor = true
        case 3: f.checkpoint = true
        case 4: f.trajectory = true; f.bak = true
        case 5: f.reset = true; f.forcedProfile = 7  // openrouter
        case 6: f.deleted = true; f.forcedProfile = 5  // google
        case 7: f.topic = true; f.forcedProfile = 3  // openai
        case 8: f.malformed = true
        case 9: f.rewritten = true
        case 10: f.loneSurrogate = true
        case 11: f.huge = true
        case 12: f.clawdbot = true; f.forcedProfile = 10  // deepseek, cost 0
        case 13: f.negativeLatency = true
        case 14:
            // doubled 429, HTML body, JSON-in-JSON, Chinese relay, no status, error row with tokens and cost,
            // prompt error, aborted row with tokens.
            f.forcedProfile = 0
            f.forcedErrors = [2, 30, 4, 31, 26, 28, 12, 37, 22]
        default: return nil
        }
        return f
    }
}
