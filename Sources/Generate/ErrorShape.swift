import SQLiteStore
/// One failure text as real providers and relays write it in `errorMessage` (or in a
/// prompt-error's `data.error`), with the class a reader should derive from the text.
struct ErrorShape: Sendable {
    enum Kind: Sendable {
        /// An assistant row with `stopReason:"error"`.
        case errorRow
        /// An assistant row with `stopReason:"aborted"`.
        case abortedRow
        /// A `custom` `openclaw:prompt-error` entry (no usage).
        case promptError
    }

    /// The raw text, JSON-escaped once (ready to sit inside a JSON string).
    let escaped: [UInt8]
    /// The DESIGN.md error class (`rate_limit`, `overloaded`, ...).
    let errorClass: String
    let kind: Kind
    /// Which providers fail this way (`nil`: any).
    let family: ModelProfile.Family?
    /// Whether pi auto-retries (a retry row follows in the same turn).
    let retryable: Bool
    /// Whether the failed row still carries tokens (and so cost when the model logs it).
    let carriesUsage: Bool

    init(
        _ text: String, _ errorClass: String, _ kind: Kind = .errorRow, family: ModelProfile.Family? = nil,
        retryable: Bool, usage: Bool = false
    ) {
        escaped = ByteSink.jsonEscape(text)
        self.errorClass = errorClass
        self.kind = kind
        self.family = family
        self.retryable = retryable
        carriesUsage = usage
    }

    // The texts below are modelled on the shapes listed in the reference notes and the real
    // samples' README (status-prefixed JSON, doubled status, HTML, JSON-in-JSON, relays in Chinese,
    // no status at all). Order is part of the output format: append only.
    static let all: [ErrorShape] = [
        ErrorShape(
            #"429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: 5d1f0c3a-7e2b-4c4d-9a8e-0b1c2d3e4f50, model: claude-sonnet-4-6). For details, refer to: https://docs.claude.com/en/api/rate-limits."}}"#,
            "rate_limit", family: .anthropic, retryable: true),
        ErrorShape(
            "429 Rate limit reached for gpt-5.2 in organization org-Xq3LbV7pR2 on tokens per min (TPM): Limit 200000, Used 179091, Requested 31271. Please try again in 3.108s. Visit https://platform.openai.com/account/rate-limits to learn more.",
            "rate_limit", family: .openai, retryable: true),
        ErrorShape(
            "429 429 Too Many Requests: you (ana) have reached your session usage limit, please wait or upgrade to continue",
            "rate_limit", family: .compat, retryable: true),
        ErrorShape(
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            "rate_limit", family: .openai, retryable: false),
        ErrorShape(
            "{\"error\":{\"message\":\"{\\n  \\\"error\\\": {\\n    \\\"code\\\": 429,\\n    \\\"message\\\": \\\"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\\\",\\n    \\\"status\\\": \\\"RESOURCE_EXHAUSTED\\\"\\n  }\\n}\\n\",\"code\":429,\"status\":\"Too Many Requests\"}}",
            "rate_limit", family: .google, retryable: true),
        ErrorShape("429 余额不足或无可用资源包,请充值。", "rate_limit", family: .compat, retryable: false),
        ErrorShape("429 status code (no body)", "rate_limit", family: .openai, retryable: true),
        ErrorShape(
            #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            "overloaded", family: .anthropic, retryable: true),
        ErrorShape(
            #"529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            "overloaded", family: .anthropic, retryable: true),
        ErrorShape(
            #"got status: UNAVAILABLE. {"error":{"code":503,"message":"This model is currently experiencing high demand. Spikes in demand are usually temporary. Please try again later.","status":"UNAVAILABLE"}}"#,
            "overloaded", family: .google, retryable: true),
        ErrorShape(
            "503 upstream connect error or disconnect/reset before headers. reset reason: connection termination",
            "overloaded", family: .compat, retryable: true),
        ErrorShape("Request timed out.", "timeout", retryable: true),
        ErrorShape("LLM request timed out.", "timeout", .promptError, retryable: true),
        ErrorShape(
            "LLM idle timeout (120s): no response from model | provider may be overloaded", "timeout", .promptError,
            retryable: true),
        ErrorShape(
            #"502 {"error":"Post \"https://ollama.com:443/api/chat?ts=1776804993\": dial tcp: lookup ollama.com on 10.0.0.53:53: read udp 127.0.0.1:55038-\u003e127.0.0.53:53: i/o timeout"}"#,
            "timeout", family: .compat, retryable: true),
        ErrorShape(
            "prompt is too long: 213462 tokens > 200000 maximum", "context_overflow", family: .anthropic,
            retryable: false),
        ErrorShape(
            "400 This model's maximum context length is 131072 tokens. However, you requested 147035 tokens (147035 in the messages, 0 in the completion). Please reduce the length of the messages or completion.",
            "context_overflow", family: .compat, retryable: false),
        ErrorShape(
            "Unhandled stop reason: model_context_window_exceeded", "context_overflow", family: .compat,
            retryable: false),
        ErrorShape(
            #"400 {"error":"prompt too long; exceeded max context length by 58477 tokens (ref: 03e04297-3786-43f8-890a-d58f014f7484)"}"#,
            "context_overflow", family: .compat, retryable: false),
        ErrorShape(
            #"401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
            "auth", family: .anthropic, retryable: false),
        ErrorShape("401 Authentication Fails, Your api key: ****7f3a is invalid", "auth", family: .compat, retryable: false),
        ErrorShape(
            #"No API key found for provider "anthropic". Auth store: /home/ana/.openclaw/agents/main/agent/auth-profiles.json (agentDir: /home/ana/.openclaw/agents/main/agent)."#,
            "auth", .promptError, retryable: false),
        ErrorShape(
            "403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.",
            "auth", family: .compat, retryable: false),
        ErrorShape("402 Insufficient Balance", "billing", family: .compat, retryable: false),
        ErrorShape(
            #"400 {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"#,
            "billing", family: .anthropic, retryable: false),
        ErrorShape(
            "402 This request requires more credits, or fewer max_tokens. You requested up to 32000 tokens, but can only afford 30017. To increase, visit https://openrouter.ai/settings/keys and create a key with a higher weekly limit",
            "billing", family: .compat, retryable: false),
        ErrorShape("Connection error.", "network", retryable: true),
        ErrorShape("fetch failed", "network", retryable: true),
        ErrorShape("terminated", "network", retryable: true, usage: true),
        ErrorShape("request ended without sending any chunks", "network", family: .compat, retryable: true),
        ErrorShape(
            "502 \n<html><head>\n<meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n<title>502 Server Error</title>\n</head>\n<body text=#000000 bgcolor=#ffffff>\n<h1>Error: Server Error</h1>\n<h2>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.</h2>\n<h2></h2>\n</body></html>\n",
            "server_error", family: .google, retryable: true),
        ErrorShape("500 请求错误(状态码: 500)\n", "server_error", family: .compat, retryable: true),
        ErrorShape(
            "500 {\"error\":\"Internal Server Error (ref: 937acba1-baf4-4d92-b00e-cb5e4a705fe6)\"}\n", "server_error",
            family: .compat, retryable: true),
        ErrorShape(
            "{\"error\":{\"message\":\"{\\n  \\\"error\\\": {\\n    \\\"code\\\": 500,\\n    \\\"message\\\": \\\"Internal error encountered.\\\",\\n    \\\"status\\\": \\\"INTERNAL\\\"\\n  }\\n}\\n\",\"code\":500,\"status\":\"Internal Server Error\"}}",
            "server_error", family: .google, retryable: true),
        ErrorShape("Request was aborted.", "aborted", .abortedRow, retryable: false),
        ErrorShape("Request was aborted", "aborted", .abortedRow, retryable: false),
        ErrorShape("This operation was aborted", "aborted", .abortedRow, retryable: false),
        ErrorShape(
            "Unterminated string in JSON at position 7377 (line 1 column 7378)", "aborted", .abortedRow,
            retryable: false, usage: true),
        ErrorShape("aborted", "aborted", .promptError, retryable: false),
        ErrorShape(
            "Unexpected non-whitespace character after JSON at position 609 (line 1 column 610)", "other",
            retryable: true, usage: true),
        ErrorShape(
            "The model stopped because the provider returned an unhandled stop reason: MALFORMED_RESPONSE. Please rephrase and try again.",
            "other", family: .google, retryable: false),
        ErrorShape(
            #"400 {"error":{"message":"Budget has been exceeded! Current cost: 5.461843800000001, Max budget: 5.400999999999998","type":"budget_exceeded","param":null,"code":"400"}}"#,
            "billing", family: .compat, retryable: false)
    ]

    /// Shapes a given profile can fail with.
    static func candidates(for family: ModelProfile.Family) -> [Int] {
        all.indices.filter { all[$0].family == nil || all[$0].family == family }
    }
}
