import HomeBase

#if canImport(Glibc)
import Glibc
#endif

let code = CommandLineTool.run(Array(CommandLine.arguments.dropFirst()), console: .standard())
exit(code.rawValue)
