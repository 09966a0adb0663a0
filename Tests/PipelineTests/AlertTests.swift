import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Analytics
@testable import Pipeline
@testable import TestSupport

/// A local HTTP server (Python's http.server) that answers with scripted statuses and records bodies.
final class ScriptedServer {
    let process = Process()
    let input = Pipe()
    let port: Int
    let log: String

    init(statuses: [Int], log: String) throws {
        self.log = log
        let code = """
            import sys, json, http.server
            statuses = [int(s) for s in sys.argv[1].split(',')]
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers['Content-Length'])).decode()
                    status = statuses.pop(0) if statuses else 200
                    with open(sys.argv[2], 'a') as f:
                        f.write(json.dumps({'path': self.path, 'type': self.headers['Content-Type'], 'body': body, 'status': status}) + '\\n')
                    self.send_response(status); self.send_header('Content-Length', '0'); self.end_headers()
                def log_message(self, *a): pass
            import threading
            s = http.server.HTTPServer(('127.0.0.1', 0), H)
            threading.Thread(target=s.serve_forever, daemon=True).start()
            print(s.server_address[1], flush=True)
            sys.stdin.read()  # exits when the test closes stdin or dies

            """
        process.executableURL = URL(fileURLWithPath: PythonOracle.repositoryRoot.appendingPathComponent(".build/pyenv/bin/python").path)
        process.arguments = ["-c", code, statuses.map(String.init).joined(separator: ","), log]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        port = Int(String(decoding: line, as: UTF8.self)) ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// The recorded requests as (status, body) pairs.
    func requests() -> [(status: Int, body: String)] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return ((object["status"] as? Int) ?? 0, (object["body"] as? String) ?? "")
        }
    }

    /// Closes the server's stdin, which ends it, and waits for it.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { process.terminate() } }
}

@Suite(.serialized) struct AlertTests {
    static let alerts = [
        Alert(rule: "budget", key: "budget:overall:2026-11", severity: "critical", title: "Budget 112% used", detail: "$44.80 of $40"),
        Alert(rule: "error_rate", key: "error_rate:agent-01", title: "Error rate 31% on agent-01", detail: "limit 25% — \"quoted\"")
    ]

    @Test func payloadsParseAsJSONInEachFormat() throws {
        for format in ["json", "slack", "discord"] {
            let body = WebhookPayload.body(Self.alerts, format: format, subjectPrefix: "[HB]")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            switch format {
            case "slack": #expect((object["text"] as? String)?.contains("[critical] Budget 112% used: $44.80 of $40") == true)
            case "discord": #expect((object["content"] as? String)?.hasPrefix("[HB] 2 alerts\n") == true)
            default:
                let items = try #require(object["alerts"] as? [[String: String]])
                #expect(items.map { $0["key"] } == ["budget:overall:2026-11", "error_rate:agent-01"])
                #expect(items[1]["detail"] == "limit 25% — \"quoted\"")
            }
        }
        let many = Array(repeating: Self.alerts[0], count: 100)
        let discord = try #require(
            try JSONSerialization.jsonObject(with: Data(WebhookPayload.body(many, format: "discord", subjectPrefix: "").utf8)) as? [String: String])
        #expect(discord["content"]!.count == 2000)
    }

    @Test func retriesServerErrorsThenSucceeds() throws {
        let dir = TemporaryDirectory("homebase-alerts")
        defer { dir.remove() }
        let server = try ScriptedServer(statuses: [503, 500, 200], log: dir.file("log.jsonl"))
        defer { server.stop() }
        var sender = WebhookSender()
        sender.pause = { _ in }
        try sender.post(#"{"text":"hi"}"#, to: server.url, timeoutSeconds: 5, retries: 2)
        #expect(server.requests().map(\.status) == [503, 500, 200])
        #expect(server.requests().last?.body == #"{"text":"hi"}"#)
    }

    @Test func clientErrorIsNotRetriedAndUnreachableFailsWithReason() throws {
        let dir = TemporaryDirectory("homebase-alerts")
        defer { dir.remove() }
        let server = try ScriptedServer(statuses: [404], log: dir.file("log.jsonl"))
        defer { server.stop() }
        var sender = WebhookSender()
        sender.pause = { _ in }
        #expect(throws: WebhookSender.Failure.self) { try sender.post("{}", to: server.url, timeoutSeconds: 5, retries: 3) }
        #expect(server.requests().count == 1)
        do {
            try sender.post("{}", to: "http://127.0.0.1:1/closed", timeoutSeconds: 2, retries: 1)
            Issue.record("a closed port accepted the post")
        } catch let failure as WebhookSender.Failure {
            #expect(failure.attempts == 2)
        }
    }

    /// Sent once while it lasts; a failed channel retries next run; cleared and back means sent again.
    @Test func ledgerDeduplicatesPerChannel() throws {
        let dir = TemporaryDirectory("homebase-alerts")
        defer { dir.remove() }
        let ledger = AlertLedger(catalog: try Catalog(dataDir: dir.path))
        let (budget, errors) = (Self.alerts[0], Self.alerts[1])
        #expect(try ledger.due([budget, errors], channel: "email") == [budget, errors])
        try ledger.record([budget, errors], channel: "email", delivered: true, nowMicros: 1)
        try ledger.record([budget, errors], channel: "webhook:0", delivered: false, nowMicros: 1)
        #expect(try ledger.due([budget, errors], channel: "email").isEmpty)
        #expect(try ledger.due([budget, errors], channel: "webhook:0") == [budget, errors])
        try ledger.clear(allBut: [errors])
        #expect(try ledger.due([budget, errors], channel: "email") == [budget])
    }
}
