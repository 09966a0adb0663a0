/// Process exit codes, a contract with users' scripts (DESIGN.md, "Command line").
package enum ExitCode: Int32, Sendable {
    case success = 0
    case failure = 1
    case usage = 2
    case warnings = 3
    case locked = 4
}
