import Foundation
import HomeBaseCLI
import HomeBaseCore
import SQLiteStore

MallocTuning.forColumnScans()
let code = CommandLineTool.run(Array(CommandLine.arguments.dropFirst()), console: .standard())
exit(code.rawValue)
