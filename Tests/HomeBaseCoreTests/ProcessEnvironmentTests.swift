import Foundation
import Testing
@testable import HomeBaseCore

/// The environment read from `environ` is the one Foundation and `getenv` see.
@Suite struct ProcessEnvironmentTests {
    @Test func sameAsFoundation() {
        #expect(ProcessEnvironment.current == ProcessInfo.processInfo.environment)
        #expect(ProcessEnvironment.current["PATH"] == String(cString: getenv("PATH")))
    }

    /// `=` inside a value, an empty value, a repeated name (`getenv` finds the first), an entry
    /// without `=`, a non-ASCII value.
    @Test func entriesAsGetenvSeesThem() {
        let texts = ["A=x=y", "EMPTY=", "A=second", "NOEQUALS", "Z=zürich", "=nameless"]
        let pointers = texts.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let read = pointers.withUnsafeBufferPointer { ProcessEnvironment.read($0.baseAddress!) }
        #expect(read == ["A": "x=y", "EMPTY": "", "Z": "zürich", "": "nameless"])
    }
}
