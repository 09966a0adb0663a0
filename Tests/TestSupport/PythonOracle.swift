import Foundation
@testable import SQLiteStore

/// Runs Python scripts in the dev-only venv (pyarrow, duckdb, openpyxl) as an independent
/// implementation to check our output against. Creates the venv on first use; fails loudly.
package enum PythonOracle {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The repository root, found from this file's path.
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static let setup: Result<String, Failure> = {
        let script = repositoryRoot.appendingPathComponent("Tests/tools/pyenv.sh").path
        let (status, _, err) = launch("/bin/bash", [script], stdin: nil)
        if status != 0 { return .failure(Failure(description: "pyenv.sh failed: \(err)")) }
        return .success(repositoryRoot.appendingPathComponent(".build/pyenv/bin/python").path)
    }()

    /// The venv's python, for a script a test runs beside its own work (a polling reader).
    package static func python() throws -> String { try setup.get() }

    /// Runs `code` with the venv's python, `arguments` as `sys.argv[1...]`; returns stdout.
    /// A script that finishes leaves through `os._exit(0)` after flushing: native libraries
    /// (deltalake's Rust runtime, pyarrow and DuckDB thread pools) can abort while the interpreter
    /// tears them down ("terminate called without an active exception", exit 6) after the script
    /// has printed its answer. Exceptions and `sys.exit` still end the script as usual.
    private static let cleanExit = "\nimport os as _hb_os, sys as _hb_sys\n_hb_sys.stdout.flush(); _hb_sys.stderr.flush(); _hb_os._exit(0)\n"

    package static func run(_ code: String, _ arguments: [String] = [], stdin: Data? = nil) throws -> String {
        let python = try setup.get()
        let (status, out, err) = launch(python, ["-c", code + cleanExit] + arguments, stdin: stdin)
        guard status == 0 else { throw Failure(description: "python exited \(status): \(err)") }
        return out
    }

    /// Runs a process to completion and returns (status, stdout, stderr).
    package static func launch(_ executable: String, _ arguments: [String], stdin: Data?) -> (Int32, String, String) {
        let scratch = TemporaryDirectory("homebase-launch")
        defer { scratch.remove() }
        let outPath = scratch.file("out"), errPath = scratch.file("err"), inPath = scratch.file("in")
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        FileManager.default.createFile(atPath: inPath, contents: stdin ?? Data())
        guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath),
            let input = FileHandle(forReadingAtPath: inPath)
        else { return (127, "", "cannot create temp files") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        do { try process.run() } catch { return (127, "", "\(error)") }
        process.waitUntilExit()
        try? out.close(); try? err.close(); try? input.close()
        let outText = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let errText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, outText, errText)
    }
}
