import Foundation
import Testing
@testable import HomeBaseCLI
/// `homebase --version` prints the name and a semantic version, and exits 0.
@Suite struct SmokeTests {
    @Test func version() {
        let console = Console.capturing()
        #expect(CommandLineTool.run(["--version"], console: console) == .success)
        let parts = console.capturedOut.trimmingCharacters(in: .newlines).split(separator: " ")
        #expect(parts.count == 2 && parts[0] == "homebase", "\(console.capturedOut)")
        let numbers = parts.last?.split(separator: ".", omittingEmptySubsequences: false) ?? []
        #expect(numbers.count == 3 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }, "\(console.capturedOut)")
    }
}
