import Foundation
import TestSupport

/// Python's hashlib as the independent SHA-256 for dedup keys.
enum PythonOracleHash {
    static func sha256(_ text: String) throws -> String {
        try PythonOracle.run("import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())", [text])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
