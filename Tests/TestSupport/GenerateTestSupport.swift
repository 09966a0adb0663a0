import Foundation
@testable import HomeBaseCore
@testable import Generate

/// Shared helpers for the generator suites: run it into a temp dir, read every file back.
enum GenerateFixture {
    /// 2026-06-30, the pinned end day of the test fleets.
    static let endDay = UTCDate.days(year: 2026, month: 6, day: 30)

    static func options(days: Int = 21, agents: Int = 4, callsPerDay: Int = 20, seed: UInt64 = 7) -> GeneratorOptions {
        GeneratorOptions(days: days, agents: agents, callsPerDay: callsPerDay, seed: seed, endDay: endDay)
    }

    /// Generates into a fresh directory; returns it with the manifest.
    static func generate(_ options: GeneratorOptions) throws -> (TemporaryDirectory, GenerationManifest) {
        let dir = TemporaryDirectory("homebase-generate")
        let manifest = try OpenClawGenerator.generate(options, outDir: dir.path)
        return (dir, manifest)
    }

    /// Every regular file under `root`, by path relative to it.
    static func files(under root: String) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = root + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return result
    }

    /// Runs the oracle script on `dir` with the system `python3` (it needs only the standard
    /// library, so no venv) and decodes its JSON output.
    static func oracle(_ dir: String) throws -> [String: Any] {
        let script = PythonOracle.repositoryRoot.appendingPathComponent("Tests/tools/oracle_transcripts.py").path
        let (status, out, err) = PythonOracle.launch("/usr/bin/env", ["python3", script, dir], stdin: nil)
        guard status == 0 else { throw OracleFailure(description: "oracle exited \(status): \(err)") }
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8))
        return object as? [String: Any] ?? [:]
    }

    /// Lines of a file split on `\n` (the last element is what follows the last newline).
    static func lines(_ data: Data) -> [Data] {
        data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
    }
}

/// The oracle script failed; carries its exit status and stderr.
struct OracleFailure: Error, CustomStringConvertible {
    var description: String
}
