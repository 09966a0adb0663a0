import HomeBaseCore
import SQLiteStore

/// The numbers of one assistant row before it is written: usage, exact cost parts, stop reason.
struct CallDraft {
    enum Stop {
        case stop, toolUse, length, error, aborted

        var bytes: StaticString {
            switch self {
            case .stop: return "stop"
            case .toolUse: return "toolUse"
            case .length: return "length"
            case .error: return "error"
            case .aborted: return "aborted"
            }
        }
    }

    let profile: ModelProfile
    var input: Int64 = 0, output: Int64 = 0, cacheRead: Int64 = 0, cacheWrite: Int64 = 0
    var totalTokens: Int64 { input + output + cacheRead + cacheWrite }
    /// Cost parts in 1e-15 USD (all zero when the provider does not log cost).
    var costInput: Int64 = 0, costOutput: Int64 = 0, costCacheRead: Int64 = 0, costCacheWrite: Int64 = 0
    var costTotal: Int64 { costInput + costOutput + costCacheRead + costCacheWrite }
    var stopReason: Stop
    var startMs: Int64
    var errorMessage: [UInt8]?
    var responseId: UInt64 = 0
    var responseIdPrefixBytes: [UInt8] { Array(profile.responseIdPrefix.utf8) }

    /// A call with a prompt of `promptTokens` (split per the provider's token semantics).
    init(
        profile: ModelProfile, promptTokens: Int, newTokens: Int, output: Int, stop: Stop, startMs: Int64,
        rng: inout SplitMix64
    ) {
        self.profile = profile
        stopReason = stop
        self.startMs = startMs
        let prompt = Int64(max(promptTokens, 1))
        let fresh = Int64(min(max(newTokens, 1), Int(prompt)))
        switch profile.style {
        case .anthropic:
            input = Int64(rng.int(3...40))
            cacheWrite = fresh
            cacheRead = max(prompt - fresh - input, 0)
        case .openai:
            let cached = (max(prompt - fresh, 0) / 128) * 128
            cacheRead = cached
            input = prompt - cached
        case .plain:
            input = prompt
        }
        self.output = Int64(output)
        responseId = rng.next()
        price()
    }

    /// Fills the cost parts from the profile's price (femto-USD = tokens × price units).
    mutating func price() {
        guard profile.logsCost else {
            costInput = 0; costOutput = 0; costCacheRead = 0; costCacheWrite = 0
            return
        }
        costInput = input * profile.input
        costOutput = output * profile.output
        costCacheRead = cacheRead * profile.cacheRead
        costCacheWrite = cacheWrite * profile.cacheWrite
    }

    /// Drops all usage (the usual failed row).
    mutating func zeroUsage() {
        input = 0; output = 0; cacheRead = 0; cacheWrite = 0
        price()
    }
}
