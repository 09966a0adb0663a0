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

    /// The cost of one call in USD from its token counts (input excludes cached tokens, as OpenClaw logs it).
    package func cost(input: Int64, output: Int64, cacheRead: Int64, cacheWrite: Int64) -> Double {
        let perToken = 1e-6
        return (Double(input) * self.input + Double(output) * self.output
            + Double(cacheRead) * (self.cacheRead ?? self.input)
            + Double(cacheWrite) * (self.cacheWrite ?? self.input)) * perToken
    }
}
