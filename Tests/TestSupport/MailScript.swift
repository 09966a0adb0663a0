import Foundation

/// A stand-in sendmail: a shell script in `dir` that records what it was given.
enum MailScript {
    static func script(_ dir: TemporaryDirectory, _ body: String) throws -> String {
        let path = dir.file("fake-sendmail")
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }
}
