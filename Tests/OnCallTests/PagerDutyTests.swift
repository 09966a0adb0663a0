import Foundation
import HomeBaseCore
import Testing
import TestSupport
@testable import OnCall

/// PagerDuty Events API v2 against a recording server: payload shape as Python's json module
/// reads it, retries on 429/5xx, no retry on 400, and the routing key never in an error.
@Suite(.serialized) struct PagerDutyTests {
    static let routingKey = "R0UT1NGKEY0123456789abcdefABCDEF"
    static let alert = OnCallAlert(
        key: "budget:agent-01:2026-11", rule: "budget", severity: "critical",
        title: "Budget of agent-01 at 104%", detail: "spent $52.10 of $50.00 \"monthly\"\nsee report")
    static let now: Int64 = 1_764_763_200_123_456  // 2025-12-03T12:00:00.123456Z

    func client(_ server: RecordingServer, pauses: PauseRecorder) -> PagerDutyClient {
        var client = PagerDutyClient(routingKey: Self.routingKey, source: "gateway-host", endpoint: server.url + "/v2/enqueue")
        client.pause = { pauses.record($0) }
        return client
    }

    @Test func triggerPayload() throws {
        let server = try RecordingServer([(202, #"{"status":"success","message":"Event processed","dedup_key":"x"}"#, [:])])
        let pauses = PauseRecorder()
        try client(server, pauses: pauses).trigger(Self.alert, nowMicros: Self.now)
        let requests = server.requests
        #expect(requests.count == 1 && pauses.pauses.isEmpty)
        let request = try #require(requests.first)
        #expect(request.path == "/v2/enqueue")
        #expect(request.headers["Content-Type"] == "application/json")
        let json = try #require(request.json)
        #expect(json["routing_key"] as? String == Self.routingKey)
        #expect(json["event_action"] as? String == "trigger")
        #expect(json["dedup_key"] as? String == "homebase:budget:agent-01:2026-11")
        let payload = try #require(json["payload"] as? [String: Any])
        #expect(payload["summary"] as? String == "Budget of agent-01 at 104%: spent $52.10 of $50.00 \"monthly\"\nsee report")
        #expect(payload["source"] as? String == "gateway-host")
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["timestamp"] as? String == "2025-12-03T12:00:00.123456Z")
        let details = try #require(payload["custom_details"] as? [String: String])
        #expect(details == ["rule": "budget", "key": "budget:agent-01:2026-11", "title": Self.alert.title, "detail": Self.alert.detail])
    }

    @Test func resolvePayloadUsesTheSameDedupKey() throws {
        let server = try RecordingServer([(202, #"{"status":"success"}"#, [:])])
        let pauses = PauseRecorder()
        let pd = client(server, pauses: pauses)
        try pd.trigger(Self.alert, nowMicros: Self.now)
        try pd.resolve(alertKey: Self.alert.key)
        let bodies = server.requests.compactMap(\.json)
        #expect(bodies.count == 2)
        #expect(bodies[1]["event_action"] as? String == "resolve")
        #expect(bodies[1]["routing_key"] as? String == Self.routingKey)
        #expect(bodies[1]["dedup_key"] as? String == bodies[0]["dedup_key"] as? String)
        #expect(bodies[1].keys.sorted() == ["dedup_key", "event_action", "routing_key"])
    }

    @Test func retriesThrottlingAndServerErrorsWithBackoff() throws {
        let server = try RecordingServer([
            (429, #"{"status":"throttle event"}"#, [:]), (502, "", [:]),
            (429, "", ["Retry-After": "7"]), (202, #"{"status":"success"}"#, [:])
        ])
        let pauses = PauseRecorder()
        try client(server, pauses: pauses).trigger(Self.alert, nowMicros: Self.now)
        #expect(server.requests.count == 4)
        // Backoff 1 s, 2 s, then the server's Retry-After of 7 s.
        #expect(pauses.pauses == [1, 2, 7])
    }

    @Test func givesUpAfterRetriesWithoutTheKey() throws {
        let server = try RecordingServer([(503, #"{"message":"unavailable for \#(Self.routingKey)"}"#, [:])])
        let pauses = PauseRecorder()
        var pd = client(server, pauses: pauses)
        pd.retries = 2
        do {
            try pd.trigger(Self.alert, nowMicros: Self.now)
            Issue.record("expected a failure")
        } catch {
            #expect(error.attempts == 3 && server.requests.count == 3)
            #expect(error.description.contains("HTTP 503: unavailable for <redacted>"))
            #expect(!error.description.contains(Self.routingKey))
        }
        #expect(pauses.pauses == [1, 2])
    }

    @Test func badRequestIsNotRetried() throws {
        let reply =
            #"{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}"#
        let server = try RecordingServer([(400, reply, [:])])
        let pauses = PauseRecorder()
        do {
            try client(server, pauses: pauses).trigger(Self.alert, nowMicros: Self.now)
            Issue.record("expected a failure")
        } catch {
            #expect(error.attempts == 1 && server.requests.count == 1 && pauses.pauses.isEmpty)
            #expect(error.reason == "HTTP 400: Event object is invalid; Length of 'routing_key' is incorrect (should be 32 characters)")
            #expect(error.fix.contains("routing_key"))
            #expect(!error.description.contains(Self.routingKey))
        }
    }

    @Test func unreachableEndpoint() throws {
        var pd = PagerDutyClient(routingKey: Self.routingKey, source: "h", endpoint: "http://127.0.0.1:9/v2/enqueue")
        pd.retries = 1
        let pauses = PauseRecorder()
        pd.pause = { pauses.record($0) }
        #expect(throws: OnCallError.self) { try pd.resolve(alertKey: "k") }
        #expect(pauses.pauses == [1])
    }

    @Test func mappingAndLimits() throws {
        #expect(
            ["critical", "error", "warning", "info", "CRITICAL", "notice", ""].map(PagerDutyEvent.severity)
                == ["critical", "error", "warning", "info", "critical", "warning", "warning"])
        let long = OnCallAlert(
            key: String(repeating: "k", count: 300), rule: "r", severity: "info",
            title: String(repeating: "é", count: 2000), detail: "d")
        let summary = PagerDutyEvent.summary(long)
        #expect(summary.count == 1024 && summary.hasSuffix("…"))
        let key = PagerDutyEvent.dedupKey(long.key)
        // SHA-256 of 300 × "k", computed with Python's hashlib.
        let expected = try PythonOracleHash.sha256(String(repeating: "k", count: 300))
        #expect(key == "homebase:sha256:" + expected)
        #expect(key.count <= 255)
        #expect(PagerDutyEvent.dedupKey("a") == PagerDutyEvent.dedupKey("a") && PagerDutyEvent.dedupKey("a") != PagerDutyEvent.dedupKey("b"))
    }
}
