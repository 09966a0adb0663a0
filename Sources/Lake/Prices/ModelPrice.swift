/// USD per million tokens for one model (cache prices default to the input price when unknown).
package struct ModelPrice: Sendable, Equatable, Codable {
    package var input: Double
    package var output: Double
    package var cacheRead: Double?
    package var cacheWrite: Double?

    package init(input: Double, output: Double, cacheRead: Double? = nil, cacheWrite: Double? = nil) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
    }

    /// The range every price must be in, USD per million tokens (the config file's bound too).
    /// With token counts bounded by ``CallRange/maxTokens`` a priced cost is then always finite.
    package static let maxPerMillion = 1e6

    /// Why this price cannot be used (negative, not finite, absurdly high), or nil.
    package var rangeProblem: String? {
        for (name, value) in [("input", input), ("output", output), ("cache_read", cacheRead), ("cache_write", cacheWrite)] {
            guard let value else { continue }
            if !(value >= 0 && value <= Self.maxPerMillion) {
                return "\(name) \(value) is outside 0...\(Int(Self.maxPerMillion)) USD per million tokens"
            }
        }
        return nil
    }

    /// The cost of one call in USD from its token counts (input excludes cached tokens, as OpenClaw logs it).
    package func cost(input: Int64, output: Int64, cacheRead: Int64, cacheWrite: Int64) -> Double {
        let perToken = 1e-6
        return
            (Double(input) * self.input + Double(output) * self.output
            + Double(cacheRead) * (self.cacheRead ?? self.input)
            + Double(cacheWrite) * (self.cacheWrite ?? self.input)) * perToken
    }
}
