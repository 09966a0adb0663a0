import HomeBaseCore
import SQLiteStore
import Lake
/// Parses OpenClaw gateway logs into ``GatewayEvent``s.
///
/// Two formats: the tslog JSON file `openclaw-YYYY-MM-DD.log` (positional keys `"0"`, `"1"`, …,
/// `_meta.logLevelName`, `time`, a subsystem JSON string in `"0"`; openclaw-logs.md §4.2), and
/// the plain console log launchd/systemd capture (`<ISO time> [subsystem] message`, samples
/// `gateway-console*.log`). In tslog files every WARN/ERROR/FATAL line and every recognised
/// LLM-related line (failover, fallback, rate limit, timeout, lane error, non-2xx model fetch)
/// is an event, other lines are ignored, and lines that are not JSON are quarantined. Console
/// lines carry no level, so only recognised lines become events (level `ERROR` from a `.err`
/// file, else `INFO`); unprefixed lines there are continuations and are ignored.
package struct GatewayLogParser {
    package enum Format: Sendable { case tslog, console }

    package let sourceFile: String
    package let format: Format

    /// The format is taken from the file name: `openclaw-*.log` (or the fork's `clawdbot-*.log`)
    /// is tslog, anything else (`gateway.log`, `gateway.err.log`) is console text.
    package init(sourceFile: String) {
        let name = sourceFile.split(separator: "/").last.map(String.init) ?? sourceFile
        let tslog = (name.hasPrefix("openclaw-") || name.hasPrefix("clawdbot-")) && !name.contains("console")
        self.init(sourceFile: sourceFile, format: tslog ? .tslog : .console)
    }

    package init(sourceFile: String, format: Format) {
        self.sourceFile = sourceFile
        self.format = format
    }

    package mutating func parse(line: UnsafeRawBufferPointer, lineNumber: Int64, byteOffset: Int64) -> GatewayLine {
        var scanner = JSONScanner(line)
        guard let first = scanner.peekToken() else { return .ignored }
        if first == UInt8(ascii: "{") {
            if !Self.mayBeInteresting(line) {
                // Most gateway lines are routine info: check they are JSON, then skip them undecoded.
                do throws(JSONScanError) { try scanner.validateDocument() } catch {
                    return .quarantine(reason: "invalid JSON: \(error) (file offset \(byteOffset + Int64(error.offset)))")
                }
                return .ignored
            }
            let value: JSONValue
            do throws(JSONScanError) {
                value = try JSONValue.parse(line)
            } catch {
                return .quarantine(reason: "invalid JSON: \(error) (file offset \(byteOffset + Int64(error.offset)))")
            }
            return tslogLine(value, lineNumber: lineNumber, byteOffset: byteOffset)
        }
        let text = String(decoding: line, as: UTF8.self)
        if let event = consoleLine(text, lineNumber: lineNumber) { return event }
        if format == .console { return .ignored }
        return .quarantine(
            reason: "not a JSON log line (byte 0 is \(Self.describe(first))) at file offset \(byteOffset); gateway tslog lines are JSON objects")
    }

    /// A cheap byte-level test: false only for lines that `classify` would certainly ignore
    /// (info/debug level and none of the phrases it looks for).
    static func mayBeInteresting(_ line: UnsafeRawBufferPointer) -> Bool {
        if routineExceptions.matches(in: line, stopAtFirst: true) != 0 { return true }
        return levelKey.matches(in: line, stopAtFirst: true) == 0  // unusual spelling of the level: decode it
    }

    /// What makes a tslog line worth decoding: a warning or worse, or a phrase `classify` looks for.
    private static let routineExceptions = ByteNeedles([
        "\"loglevelname\":\"warn", "\"loglevelname\":\"error", "\"loglevelname\":\"fatal",
        "failover", "fallback", "auth profile", "auth_profile", "lane task", "lane wait", "timeout",
        "timed out", "agent end", "before reply", "model-fetch", "blocked model", "rate limit",
        "too many requests"
    ])
    private static let levelKey = ByteNeedles(["\"loglevelname\":\""])

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x\(String(byte, radix: 16, uppercase: true))"
    }

    // MARK: tslog

    private func tslogLine(_ value: JSONValue, lineNumber: Int64, byteOffset: Int64) -> GatewayLine {
        guard case let .object(members) = value, let meta = value["_meta"], case .object = meta else {
            return .quarantine(reason: "JSON object without a tslog _meta object at file offset \(byteOffset)")
        }
        let timeText = value["time"]?.stringValue ?? meta["date"]?.stringValue
        guard let timeText, let micros = ISO8601Time.micros(timeText) else {
            return .quarantine(reason: "tslog line without a readable time (time/_meta.date) at file offset \(byteOffset)")
        }
        if let problem = CallRange.timeProblem(micros, field: "time '\(timeText)'") {
            return .quarantine(reason: problem + " (file offset \(byteOffset))")
        }
        let level = (meta["logLevelName"]?.stringValue ?? "INFO").uppercased()
        // Positional arguments in numeric order.
        let positional = members.compactMap { m -> (Int, JSONValue)? in Int(m.key).map { ($0, m.value) } }
            .sorted { $0.0 < $1.0 }.map(\.1)
        var subsystem: String?
        var texts: [String] = []
        var fields: JSONValue?
        for (i, arg) in positional.enumerated() {
            switch arg {
            case let .string(s):
                if i == 0, s.hasPrefix("{"), let inner = try? JSONValue.parse(s), case .object = inner {
                    subsystem = inner["subsystem"]?.stringValue ?? inner["module"]?.stringValue
                } else {
                    texts.append(s)
                }
            case .object:
                if fields == nil { fields = arg }
            default: break
            }
        }
        if subsystem == nil, let name = meta["name"]?.stringValue, name.hasPrefix("{"),
            let inner = try? JSONValue.parse(name)
        {
            subsystem = inner["subsystem"]?.stringValue
        }
        var message = Self.stripANSI(texts.joined(separator: " "))
        if message.isEmpty, let flat = value["message"]?.stringValue { message = Self.stripANSI(flat) }
        return classify(
            micros: micros, level: level, subsystem: subsystem, message: message, fields: fields,
            genericFromLevel: true, lineNumber: lineNumber)
    }

    // MARK: Console text

    /// `<ISO time> [subsystem] message`, or `nil` if the line does not start that way.
    private func consoleLine(_ text: String, lineNumber: Int64) -> GatewayLine? {
        guard let space = text.firstIndex(of: " "), let micros = ISO8601Time.micros(String(text[..<space])),
            CallRange.timeProblem(micros, field: "time") == nil
        else { return nil }
        var rest = text[text.index(after: space)...]
        var subsystem: String?
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            subsystem = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...].drop(while: { $0 == " " })
        }
        let level = sourceFile.contains(".err") ? "ERROR" : "INFO"
        return classify(
            micros: micros, level: level, subsystem: subsystem, message: Self.stripANSI(String(rest)),
            fields: nil, genericFromLevel: false, lineNumber: lineNumber)
    }

    // MARK: Classification

    private func classify(
        micros: Int64, level: String, subsystem: String?, message: String, fields: JSONValue?,
        genericFromLevel: Bool, lineNumber: Int64
    ) -> GatewayLine {
        var subsystem = subsystem
        if subsystem == nil, message.hasPrefix("["), let close = message.firstIndex(of: "]") {
            subsystem = String(message[message.index(after: message.startIndex)..<close])  // "[tools] edit failed: …"
        }
        let kv = Self.keyValues(message)
        var text = message  // `withUTF8` searches the string's own bytes (made contiguous once)
        let found = text.withUTF8 { Self.phrases.matches(in: UnsafeRawBufferPointer($0)) }
        func mentions(_ phrase: Phrase) -> Bool { found & (1 << UInt64(phrase.rawValue)) != 0 }
        let metaEvent = fields?["event"]?.stringValue
        var event: String?
        var provider = fields?["provider"]?.stringValue ?? kv["provider"]
        var model = fields?["model"]?.stringValue ?? kv["model"]
        var reason = fields?["failoverReason"]?.stringValue ?? fields?["reason"]?.stringValue ?? kv["reason"]
        var status = Self.int(fields?["httpCode"]) ?? Self.int(fields?["status"]) ?? kv["status"].flatMap { Int32($0) }

        if metaEvent == "embedded_run_failover_decision" || mentions(.failoverDecision) {
            event = "failover_decision"
            if provider == nil, let from = kv["from"], let slash = from.firstIndex(of: "/") {
                provider = String(from[..<slash])
                model = String(from[from.index(after: slash)...])
            }
        } else if metaEvent == "model_fallback_decision" || mentions(.modelFallbackDecision) {
            event = "model_fallback"
            provider = fields?["candidateProvider"]?.stringValue ?? provider
            model = fields?["candidateModel"]?.stringValue ?? model
        } else if metaEvent == "auth_profile_failure_state_updated" || mentions(.authProfileFailure) {
            event = "auth_profile_failure"
        } else if mentions(.laneTaskError) {
            event = "lane_error"
        } else if mentions(.laneWaitExceeded) {
            event = "lane_wait"
        } else if mentions(.embeddedRunTimeout) || mentions(.timedOutDuringCompaction) {
            event = "timeout"
            reason = reason ?? "timeout"
        } else if mentions(.embeddedRunAgentEnd) && mentions(.isErrorTrue) {
            event = "agent_error"
        } else if mentions(.embeddedAgentFailedBeforeReply) || mentions(.agentFailedBeforeReply) {
            event = "agent_error"
        } else if mentions(.modelFetchError) {
            event = "model_fetch_error"
        } else if mentions(.modelFetchResponse), let s = status, s >= 400 {
            event = s == 429 ? "rate_limit" : "model_fetch_error"
        } else if mentions(.blockedModel) {
            event = "model_blocked"
            reason = reason ?? "context_overflow"
        } else if mentions(.rateLimit) || mentions(.tooManyRequests) {
            event = "rate_limit"
        } else if genericFromLevel && ["WARN", "ERROR", "FATAL"].contains(level) {
            event = level == "WARN" ? "warning" : level.lowercased()
        }
        guard let event else { return .ignored }

        // For failures, name the class of the error text when the line gives no reason.
        if reason == nil, ["lane_error", "agent_error", "model_fetch_error", "rate_limit"].contains(event) {
            let errorText = kv["error"] ?? fields?["rawErrorPreview"]?.stringValue ?? fields?["error"]?.stringValue ?? message
            reason = ErrorClassifier.classify(stopReason: "error", message: errorText, status: status.map(Int.init))
        }
        if status == nil, let preview = fields?["rawErrorPreview"]?.stringValue {
            status = ErrorClassifier.httpStatus(in: Array(preview.utf8)).map { Int32($0) }
        }
        var record = GatewayEvent(
            timestampMicros: micros, level: level, event: event,
            message: UTF8Truncation.truncate(message), sourceFile: sourceFile, sourceLine: lineNumber)
        record.subsystem = subsystem
        record.provider = provider
        record.model = model
        record.reason = reason
        record.httpStatus = status
        record.runId = fields?["runId"]?.stringValue ?? kv["runId"]
        return .event(record)
    }

    private static func int(_ value: JSONValue?) -> Int32? {
        switch value {
        case let .number(n)?: return Int32(n)
        case let .string(s)?: return Int32(s)
        default: return nil
        }
    }

    /// `key=value` pairs of a log message; a value may be double-quoted (`error="FailoverError: …"`).
    /// A key starts a word and is letters, digits and `_` (any non-ASCII byte counts as a letter:
    /// UTF-8 never hides an ASCII byte inside a longer character, so the ASCII keys looked up are
    /// found exactly as by Unicode properties, at a fraction of the cost on every log line).
    static func keyValues(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var text = text
        text.withUTF8 { chars in
            let space = UInt8(ascii: " "), quote = UInt8(ascii: "\""), equals = UInt8(ascii: "=")
            func letter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x80 }
            var i = 0
            while i < chars.count {
                // a key: letters/digits/_ right before "=", at a word start
                guard letter(chars[i]), i == 0 || chars[i - 1] == space else { i += 1; continue }
                var j = i
                while j < chars.count, letter(chars[j]) || chars[j] == UInt8(ascii: "_") || (chars[j] >= 0x30 && chars[j] <= 0x39) { j += 1 }
                guard j < chars.count, chars[j] == equals else { i = j + 1; continue }
                let key = String(decoding: UnsafeBufferPointer(rebasing: chars[i..<j]), as: UTF8.self)
                var k = j + 1
                let valueStart: Int, valueEnd: Int
                if k < chars.count, chars[k] == quote {
                    k += 1
                    // up to the last quote of the text (error texts contain quotes)
                    var stop = chars.count
                    var end = chars.count - 1
                    while end >= k {
                        if chars[end] == quote { stop = end; break }
                        end -= 1
                    }
                    (valueStart, valueEnd) = (k, stop)
                    k = stop + 1
                } else {
                    let from = k
                    while k < chars.count, chars[k] != space { k += 1 }
                    (valueStart, valueEnd) = (from, k)
                }
                if out[key] == nil { out[key] = String(decoding: UnsafeBufferPointer(rebasing: chars[valueStart..<valueEnd]), as: UTF8.self) }
                i = k
            }
        }
        return out
    }

    /// The phrases `classify` tells events by, one bit each in `phrases.matches`.
    private enum Phrase: Int, CaseIterable {
        case failoverDecision, modelFallbackDecision, authProfileFailure, laneTaskError, laneWaitExceeded
        case embeddedRunTimeout, timedOutDuringCompaction, embeddedRunAgentEnd, isErrorTrue
        case embeddedAgentFailedBeforeReply, agentFailedBeforeReply, modelFetchError, modelFetchResponse
        case blockedModel, rateLimit, tooManyRequests

        var text: String {
            switch self {
            case .failoverDecision: "failover decision"
            case .modelFallbackDecision: "model fallback decision"
            case .authProfileFailure: "auth profile failure"
            case .laneTaskError: "lane task error"
            case .laneWaitExceeded: "lane wait exceeded"
            case .embeddedRunTimeout: "embedded run timeout"
            case .timedOutDuringCompaction: "timed out during compaction"
            case .embeddedRunAgentEnd: "embedded run agent end"
            case .isErrorTrue: "iserror=true"
            case .embeddedAgentFailedBeforeReply: "embedded agent failed before reply"
            case .agentFailedBeforeReply: "agent failed before reply"
            case .modelFetchError: "[model-fetch] error"
            case .modelFetchResponse: "[model-fetch] response"
            case .blockedModel: "blocked model"
            case .rateLimit: "rate limit"
            case .tooManyRequests: "too many requests"
            }
        }
    }
    private static let phrases = ByteNeedles(Phrase.allCases.map(\.text))

    /// Removes ANSI SGR/CSI sequences (`ESC [ … final-byte`); an escape followed by anything else
    /// loses that next character too. By bytes: no byte of a multi-byte character is a final
    /// byte (0x40-0x7E), so a sequence ends where it does by characters.
    static func stripANSI(_ text: String) -> String {
        guard text.utf8.contains(0x1B) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var bytes = text.utf8.makeIterator()
        while let b = bytes.next() {
            guard b == 0x1B else {
                out.append(b)
                continue
            }
            guard let next = bytes.next() else { break }
            if next == UInt8(ascii: "[") {
                while let f = bytes.next(), !(0x40...0x7E).contains(f) {}
                continue
            }
            // Any other character after the escape is dropped whole: its continuation bytes too.
            var rest = bytes
            while next >= 0xC0, let c = rest.next(), c & 0xC0 == 0x80 { bytes = rest }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
