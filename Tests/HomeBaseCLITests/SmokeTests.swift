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

    /// The dispatch table's words are the commands' own names (the table makes a command only
    /// when its word is typed), and every word is dispatched to the command it names.
    @Test func commandTableNamesTheCommands() {
        let names = CommandLineTool.commands.map(\.name)
        #expect(names == CommandLineTool.commands.map { $0.make().name })
        #expect(Set(names).count == names.count)
        for name in names {
            let console = Console.capturing()
            #expect(CommandLineTool.run([name, "--help"], console: console) == .success)
            #expect(console.capturedOut.contains("homebase " + name), "\(name): \(console.capturedOut.prefix(200))")
        }
        let console = Console.capturing()
        #expect(CommandLineTool.run(["--help"], console: console) == .success)
        for name in names { #expect(console.capturedOut.contains("  " + name + " ")) }
    }
}
