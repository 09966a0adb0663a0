import Foundation

/// Hands a finished `.eml` to the local mail system by piping it to a sendmail-compatible command
/// (e.g. `/usr/sbin/sendmail -t`, which takes the recipients from the To header).
package enum MailDelivery {
    /// Runs `command` (split on spaces; a bare name is looked up on PATH) with `message` on its stdin.
    /// Throws a `RenderError` naming the command, its exit status and what it printed on stderr.
    package static func sendmail(command: String, message: [UInt8]) throws {
        let words = command.split(separator: " ").map(String.init)
        guard let program = words.first else {
            throw RenderError("sendmail: the command is empty (set email.sendmail, e.g. \"/usr/sbin/sendmail -t\")")
        }
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(words.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = words
        }
        // The message goes through a temporary file, so a command that never reads cannot block us.
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
            "homebase-mail-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max)).eml")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(message)),
            let input = FileHandle(forReadingAtPath: temporary.path)
        else {
            throw RenderError("sendmail: cannot write the message to \(temporary.path)")
        }
        defer {
            try? input.close()
            try? FileManager.default.removeItem(at: temporary)
        }
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch {
            throw RenderError("sendmail: cannot start '\(command)' (\(error.localizedDescription)); check email.sendmail in the config")
        }
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
            let said = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw RenderError("sendmail: '\(command)' failed with \(how)" + (said.isEmpty ? "" : ": " + String(said.prefix(500))))
        }
    }
}
