import Foundation

/// A Python script from Tests/tools running in the pinned venv for the length of a test (the moto
/// S3 server, the flaky HTTP server): its first stdout line is JSON describing where it listens;
/// closing its stdin stops it.
package final class BackgroundPython: @unchecked Sendable {
    package let process = Process()
    private let input = Pipe()
    /// The JSON object the script printed first.
    package let announcement: [String: Any]

    package init(script: String, arguments: [String]) throws {
        _ = try PythonOracle.run("print(1)")  // creates the venv (pinned packages) or fails loudly
        let root = PythonOracle.repositoryRoot
        let output = Pipe()
        process.executableURL = root.appendingPathComponent(".build/pyenv/bin/python")
        process.arguments = [root.appendingPathComponent("Tests/tools/\(script)").path] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            throw SetupFailure(description: "\(script) did not announce itself (got '\(String(decoding: line, as: UTF8.self))')")
        }
        announcement = object
    }

    package func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }
}

/// A helper process could not be started as expected.
package struct SetupFailure: Error, CustomStringConvertible {
    package var description: String
    package init(description: String) { self.description = description }
}
