import Foundation

/// Hands a finished message to the local mail system (`sendmail -t` reads the recipients from it).
package enum MailDelivery {
    package struct Failure: Error, CustomStringConvertible {
        package var command: String
        package var reason: String
        package var description: String { "sendmail command '\(command)': \(reason)" }
    }

    /// Runs `command` through `/bin/sh -c` with the message on stdin; throws unless it exits 0.
    package static func sendmail(command: String, message: [UInt8]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch { throw Failure(command: command, reason: "cannot start: \(error)") }
        try? input.fileHandleForWriting.write(contentsOf: Data(message))
        try? input.fileHandleForWriting.close()
        let stderr = (try? errors.fileHandleForReading.readToEnd()).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(command: command, reason: "exited with status \(process.terminationStatus)"
                + (stderr.isEmpty ? "" : ": " + stderr.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)))
        }
    }
}
