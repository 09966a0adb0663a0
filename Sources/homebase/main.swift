import Foundation
import SQLiteStore
import HomeBaseCLI

let code = CommandLineTool.run(Array(CommandLine.arguments.dropFirst()), console: .standard())
exit(code.rawValue)
