import Foundation

/// `Tests/tools/recording_server.py` run by the venv's python: a local HTTP endpoint that
/// records every request (body parsed by Python's json module) and answers from a script.
package final class RecordingServer {
    package struct Request {
        package var path: String
        package var headers: [String: String]
        package var body: String
        /// The body as Python's `json.loads` read it; nil when it did not parse.
        package var json: [String: Any]?
    }

    package struct StartFailure: Error { package var message: String }

    let scratch = TemporaryDirectory("oncall-server")
    let process = Process()
    /// Closing our end makes the server exit.
    let input = Pipe()
    package let port: Int
    package var url: String { "http://127.0.0.1:\(port)" }

    /// Starts the server; `responses` are `(status, body, headers)` in order, the last repeating.
    package init(_ responses: [(Int, String, [String: String])]) throws {
        _ = try PythonOracle.run("pass")  // creates the venv or fails loudly
        let python = PythonOracle.repositoryRoot.appendingPathComponent(".build/pyenv/bin/python").path
        let script = PythonOracle.repositoryRoot.appendingPathComponent("Tests/tools/recording_server.py").path
        let encoded = try JSONSerialization.data(withJSONObject: responses.map { [$0.0, $0.1, $0.2] as [Any] })
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, scratch.file("log.jsonl"), String(decoding: encoded, as: UTF8.self)]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw StartFailure(message: "recording_server.py did not print its port")
        }
        self.port = port
    }

    package var requests: [Request] {
        guard let text = try? String(contentsOfFile: scratch.file("log.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Request(
                path: object["path"] as? String ?? "", headers: object["headers"] as? [String: String] ?? [:],
                body: object["body"] as? String ?? "", json: object["json"] as? [String: Any])
        }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        scratch.remove()
    }
}

/// Pauses requested by a client under test, recorded instead of slept.
package final class PauseRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Double] = []
    package init() {}
    package func record(_ seconds: Double) { lock.withLock { stored.append(seconds) } }
    package var pauses: [Double] { lock.withLock { stored } }
}
