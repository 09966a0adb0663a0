/// The price book that ships with Home Base: public list prices, USD per million tokens.
/// Keys are `provider/model` (provider `*` matches any) with the model in normalised form
/// (see `PriceBook.normalise`); `provider/*` prices a whole provider (local models are free).
enum ShippedPrices {
    static let asOf = "2026-11-01"

    static let table: [String: ModelPrice] = [
        // Anthropic
        "*/claude-opus-4-5": ModelPrice(input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25),
        "*/claude-opus-4-1": ModelPrice(input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75),
        "*/claude-opus-4": ModelPrice(input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75),
        "*/claude-sonnet-4-6": ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
        "*/claude-sonnet-4-5": ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
        "*/claude-sonnet-4": ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
        "*/claude-3-7-sonnet": ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
        "*/claude-3-5-sonnet": ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
        "*/claude-haiku-4-5": ModelPrice(input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25),
        "*/claude-3-5-haiku": ModelPrice(input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1),
        "*/claude-3-haiku": ModelPrice(input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3),
        // OpenAI
        "*/gpt-5-5": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gpt-5-4": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gpt-5-2": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gpt-5-1": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gpt-5-1-codex": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gpt-5-codex": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gpt-5": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gpt-5-mini": ModelPrice(input: 0.25, output: 2, cacheRead: 0.025),
        "*/gpt-5-nano": ModelPrice(input: 0.05, output: 0.4, cacheRead: 0.005),
        "*/gpt-4-1": ModelPrice(input: 2, output: 8, cacheRead: 0.5),
        "*/gpt-4-1-mini": ModelPrice(input: 0.4, output: 1.6, cacheRead: 0.1),
        "*/gpt-4-1-nano": ModelPrice(input: 0.1, output: 0.4, cacheRead: 0.025),
        "*/gpt-4o": ModelPrice(input: 2.5, output: 10, cacheRead: 1.25),
        "*/gpt-4o-mini": ModelPrice(input: 0.15, output: 0.6, cacheRead: 0.075),
        "*/o3": ModelPrice(input: 2, output: 8, cacheRead: 0.5),
        "*/o4-mini": ModelPrice(input: 1.1, output: 4.4, cacheRead: 0.275),
        "*/text-embedding-3-small": ModelPrice(input: 0.02, output: 0),
        "*/text-embedding-3-large": ModelPrice(input: 0.13, output: 0),
        // Google
        "*/gemini-3-pro-preview": ModelPrice(input: 2, output: 12, cacheRead: 0.2),
        "*/gemini-2-5-pro": ModelPrice(input: 1.25, output: 10, cacheRead: 0.125),
        "*/gemini-2-5-flash": ModelPrice(input: 0.3, output: 2.5, cacheRead: 0.03),
        "*/gemini-2-5-flash-lite": ModelPrice(input: 0.1, output: 0.4, cacheRead: 0.01),
        "*/gemini-2-0-flash": ModelPrice(input: 0.1, output: 0.4, cacheRead: 0.025),
        // DeepSeek, Moonshot, Zhipu, MiniMax (public API list prices)
        "*/deepseek-chat": ModelPrice(input: 0.28, output: 0.42, cacheRead: 0.028),
        "*/deepseek-reasoner": ModelPrice(input: 0.28, output: 0.42, cacheRead: 0.028),
        "*/kimi-k2-thinking": ModelPrice(input: 0.6, output: 2.5, cacheRead: 0.15),
        "*/kimi-k2-5": ModelPrice(input: 0.6, output: 3, cacheRead: 0.1),
        "*/k2p5": ModelPrice(input: 0.6, output: 3, cacheRead: 0.1),  // Kimi Coding's name for K2.5
        "*/glm-4-7": ModelPrice(input: 0.6, output: 2.2, cacheRead: 0.11),
        "*/glm-5": ModelPrice(input: 1, output: 3.2, cacheRead: 0.2),
        "*/minimax-m2-5": ModelPrice(input: 0.3, output: 1.2, cacheRead: 0.03, cacheWrite: 0.375),
        // Local runtimes cost nothing per token.
        "ollama/*": ModelPrice(input: 0, output: 0),
        "lmstudio/*": ModelPrice(input: 0, output: 0),
        "custom-127-0-0-1-11434/*": ModelPrice(input: 0, output: 0)
    ]
}
