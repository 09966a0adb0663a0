import Testing
@testable import SQLiteStore
@testable import Ingest

/// Error classes from real `errorMessage`s of the sample transcripts (file:line in each comment).
@Suite struct OpenClawErrorClassTests {
    struct Case: Sendable, CustomStringConvertible {
        var stopReason: String
        var message: String
        var expected: String
        var description: String { "\(expected): \(message.prefix(50))" }
    }

    static let cases: [Case] = [
        // mpast043:… Ollama cloud, doubled status
        Case(
            stopReason: "error",
            message: "429 429 Too Many Requests: you (<user>) have reached your session usage limit, please wait or upgrade to continue",
            expected: "rate_limit"),
        // openclawlaw-cpu: qwen-portal
        Case(stopReason: "error", message: "429 Free allocated quota exceeded.", expected: "rate_limit"),
        // HUSTLERLOGAN:118 Anthropic body
        Case(
            stopReason: "error",
            message:
                #"429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your organization's rate limit of 30,000 input tokens per minute (org: <redacted-uuid>, model: claude-sonnet-4-20250514)."},"request_id":"req_011CXiZLfhgunzVLusCvQWHQ"}"#,
            expected: "rate_limit"),
        // hochoy18:77 MiniMax
        Case(
            stopReason: "error",
            message:
                #"429 {"type":"error","error":{"type":"rate_limit_error","message":"Traffic is currently high. Rate limits for the Token Plan may be temporarily reduced—please retry shortly and moderate your request concurrency. (2062)"},"request_id":"06119bcf1832b9b4facad162e474975b"}"#,
            expected: "rate_limit"),
        // 33333cheche: Chinese relay, "official compute limit, please wait"
        Case(stopReason: "error", message: "400 官方算力限制，请等待一段时间后再进行使用，如有问题可联系管理员\n", expected: "rate_limit"),
        // VerveAILabs:9 Gemini 429, JSON in JSON
        Case(
            stopReason: "error",
            message:
                #"{"error":{"message":"{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. \",\n    \"status\": \"RESOURCE_EXHAUSTED\"\n  }\n}\n","code":429,"status":"Too Many Requests"}}"#,
            expected: "rate_limit"),
        // hochoy18: Kimi
        Case(
            stopReason: "error",
            message:
                #"429 {"error":{"type":"rate_limit_error","message":"The engine is currently overloaded, please try again later"},"type":"error"}"#,
            expected: "overloaded"),
        // ReinforcementSleeping
        Case(stopReason: "error", message: "429 The service may be temporarily overloaded, please try again later", expected: "overloaded"),
        // juliuss1907:82
        Case(
            stopReason: "error",
            message:
                #"got status: UNAVAILABLE. {"error":{"code":503,"message":"This model is currently experiencing high demand. Spikes in demand are usually temporary. Please try again later.","status":"UNAVAILABLE"}}"#,
            expected: "overloaded"),
        // HUSTLERLOGAN: envoy 503
        Case(
            stopReason: "error", message: "503 upstream connect error or disconnect/reset before headers. reset reason: connection termination",
            expected: "overloaded"),
        // 33333cheche
        Case(stopReason: "error", message: "Request timed out.", expected: "timeout"),
        // sirdeuce prompt-error
        Case(
            stopReason: "error", message: "LLM idle timeout (120s): no response from model | LLM idle timeout (120s): no response from model",
            expected: "timeout"),
        // Musk-fanX
        Case(
            stopReason: "error",
            message:
                "400 This model's maximum context length is 131072 tokens. However, you requested 147035 tokens (147035 in the messages, 0 in the completion). Please reduce the length of the messages or completion.",
            expected: "context_overflow"),
        // ReinforcementSleeping
        Case(stopReason: "error", message: "Unhandled stop reason: model_context_window_exceeded", expected: "context_overflow"),
        Case(stopReason: "error", message: "Provider finish_reason: model_context_window_exceeded", expected: "context_overflow"),
        // sirdeuce
        Case(
            stopReason: "error",
            message: "400 {\"error\":\"prompt too long; exceeded max context length by 58477 tokens (ref: 03e04297-3786-43f8-890a-d58f014f7484)\"}\n",
            expected: "context_overflow"),
        // Musk-fanX
        Case(stopReason: "error", message: "401 Authentication Fails, Your api key: ****<redacted> is invalid", expected: "auth"),
        // hochoy18
        Case(stopReason: "error", message: "401 User not found.", expected: "auth"),
        Case(
            stopReason: "error",
            message: "403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.",
            expected: "auth"),
        // ReinforcementSleeping
        Case(
            stopReason: "error",
            message:
                #"401 {"type":"error","error":{"type":"authentication_error","message":"invalid api key"},"request_id":"05f70f59302da410ce42d8eaf3cc702f"}"#,
            expected: "auth"),
        // Musk-fanX
        Case(stopReason: "error", message: "402 Insufficient Balance", expected: "billing"),
        // ReinforcementSleeping: "insufficient balance or no resource package, please top up"
        Case(stopReason: "error", message: "429 余额不足或无可用资源包,请充值。", expected: "billing"),
        // HUSTLERLOGAN LiteLLM, code as a string
        Case(
            stopReason: "error",
            message:
                #"400 {"error":{"message":"Budget has been exceeded! Current cost: 1.1164579499999998, Max budget: 1.001","type":"budget_exceeded","param":null,"code":"400"}}"#,
            expected: "billing"),
        // felixchau
        Case(
            stopReason: "error",
            message:
                #"400 {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"#,
            expected: "billing"),
        // VerveAILabs, no status prefix
        Case(
            stopReason: "error",
            message:
                "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            expected: "billing"),
        // hochoy18 OpenRouter
        Case(
            stopReason: "error",
            message: "402 This request requires more credits, or fewer max_tokens. You requested up to 32000 tokens, but can only afford 30017.",
            expected: "billing"),
        Case(stopReason: "error", message: "Connection error.", expected: "network"),
        Case(stopReason: "error", message: "fetch failed", expected: "network"),
        Case(stopReason: "error", message: "terminated", expected: "network"),
        // sirdeuce: DNS failure wrapped in 502 with "i/o timeout"
        Case(
            stopReason: "error",
            message:
                #"502 {"error":"Post \"https://ollama.com:443/api/chat?ts=1776804993\": dial tcp: lookup ollama.com on <ip>:53: read udp 127.0.0.1:55038-\u003e127.0.0.53:53: i/o timeout"}"#,
            expected: "network"),
        // Musk-fanX: aborted row with a JSON-parse message
        Case(stopReason: "aborted", message: "Unterminated string in JSON at position 68 (line 1 column 69)", expected: "aborted"),
        Case(stopReason: "aborted", message: "Request was aborted.", expected: "aborted"),
        // sirdeuce: error row, abort text
        Case(stopReason: "error", message: "This operation was aborted", expected: "aborted"),
        // prompt-error data.error
        Case(stopReason: "error", message: "aborted", expected: "aborted"),
        // HUSTLERLOGAN:71 HTML body
        Case(
            stopReason: "error",
            message:
                "502 \n<html><head>\n<meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n<title>502 Server Error</title>\n</head>\n<body text=#000000 bgcolor=#ffffff>\n<h1>Error: Server Error</h1>\n<h2>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.</h2>\n<h2></h2>\n</body></html>\n",
            expected: "server_error"),
        // 33333cheche: "request error (status code: 500)", trailing newline
        Case(stopReason: "error", message: "500 请求错误(状态码: 500)\n", expected: "server_error"),
        // juliuss1907:49 Gemini JSON in JSON
        Case(
            stopReason: "error",
            message:
                #"{"error":{"message":"{\n  \"error\": {\n    \"code\": 500,\n    \"message\": \"Internal error encountered.\",\n    \"status\": \"INTERNAL\"\n  }\n}\n","code":500,"status":""}}"#,
            expected: "server_error"),
        Case(
            stopReason: "error", message: "500 {\"error\":\"Internal Server Error (ref: 937acba1-baf4-4d92-b00e-cb5e4a705fe6)\"}\n",
            expected: "server_error"),
        Case(stopReason: "error", message: "request ended without sending any chunks", expected: "server_error"),
        // HUSTLERLOGAN: a malformed tool call, not a provider failure
        Case(stopReason: "error", message: "Unterminated string in JSON at position 7377 (line 1 column 7378)", expected: "other"),
        // andrewcarterman
        Case(
            stopReason: "error",
            message:
                #"400 {"error":{"type":"invalid_request_error","message":"the reasoning_content at position 14 must be a valid UTF-8 string: string contains \\x00"},"type":"error"}"#,
            expected: "other"),
        Case(stopReason: "error", message: #"Unexpected token '.', "{"file_path":.}" is not valid JSON"#, expected: "other")
    ]

    @Test(arguments: cases)
    func classifiesRealMessage(_ c: Case) {
        #expect(ErrorClassifier.classify(stopReason: c.stopReason, message: c.message, status: nil) == c.expected)
    }

    @Test func everyClassIsCovered() {
        #expect(Set(Self.cases.map(\.expected)) == Set(ErrorClassifier.classes))
    }

    @Test func statusDecidesOnlyWithoutAPhrase() {
        #expect(ErrorClassifier.classify(stopReason: "error", message: "boom", status: 429) == "rate_limit")
        #expect(ErrorClassifier.classify(stopReason: "error", message: "boom", status: 529) == "overloaded")
        #expect(ErrorClassifier.classify(stopReason: "error", message: "boom", status: 418) == "other")
        #expect(ErrorClassifier.classify(stopReason: "error", message: "Connection error.", status: 500) == "network")
        #expect(ErrorClassifier.classify(stopReason: "timeout", message: nil, status: nil) == "timeout")
        #expect(ErrorClassifier.classify(stopReason: "error", message: nil, status: nil) == "other")
    }

    @Test func findsStatusInsideText() {
        func status(_ s: String) -> Int? { ErrorClassifier.httpStatus(in: Array(s.utf8)) }
        #expect(status("429 429 Too Many Requests") == 429)
        #expect(status(#"{"error":{"code": 503}}"#) == 503)
        #expect(status(#"{"code":"400"}"#) == 400)
        #expect(status("请求错误(状态码: 500)") == 500)
        #expect(status("4290 things") == nil)
        #expect(status("no code here") == nil)
    }
}
