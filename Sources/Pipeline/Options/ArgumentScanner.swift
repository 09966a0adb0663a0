import SQLiteStore
/// The options a command accepts: which take a value, which are switches, which repeat.
package struct OptionSpec: Sendable {
    package var valued: Set<String>
    package var switches: Set<String>
    package var repeatable: Set<String>
    package var maxPositionals: Int
    /// Path flags that may also be `s3://bucket/prefix` (see `StoragePaths`); other path flags must be local.
    package var locations: Set<String>

    package init(valued: [String] = [], switches: [String] = [], repeatable: [String] = [], maxPositionals: Int = 0, locations: [String] = []) {
        self.valued = Set(valued + repeatable)
        self.locations = Set(locations)
        self.switches = Set(switches)
        self.repeatable = Set(repeatable)
        self.maxPositionals = maxPositionals
    }
}

/// What the scanner found: option values by name (without dashes), switches, positionals.
package struct ParsedArguments: Sendable {
    package var values: [String: [String]] = [:]
    package var switches: Set<String> = []
    package var positionals: [String] = []

    package func value(_ name: String) -> String? { values[name]?.last }
    package func all(_ name: String) -> [String] { values[name] ?? [] }
    package func has(_ name: String) -> Bool { switches.contains(name) }

    /// An integer option, or `nil` when absent; a non-integer is a usage error.
    package func int(_ name: String) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else { throw UsageError("--\(name) expects an integer, got '\(text)'") }
        return number
    }
}

/// Hand-written scanner used by every command: `--flag value`, `--flag=value`, switches,
/// `--` to end options; unknown flags and missing values are one-line usage errors.
package enum ArgumentScanner {
    package static func scan(_ arguments: [String], spec: OptionSpec) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("--") || argument == "-" {
                if argument == "--" && !optionsEnded { optionsEnded = true; continue }
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if spec.switches.contains(name) {
                if inlineValue != nil { throw UsageError("--\(name) takes no value") }
                parsed.switches.insert(name)
            } else if spec.valued.contains(name) {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                        throw UsageError("--\(name) needs a value")
                    }
                    value = arguments[index]
                    index += 1
                }
                if spec.repeatable.contains(name) {
                    parsed.values[name, default: []].append(value)
                } else {
                    if parsed.values[name] != nil { throw UsageError("--\(name) given more than once") }
                    parsed.values[name] = [value]
                }
            } else {
                throw UsageError("unknown option --\(name) (see --help)")
            }
        }
        if parsed.positionals.count > spec.maxPositionals {
            let extra = parsed.positionals[spec.maxPositionals]
            throw UsageError("unexpected argument '\(extra)' (see --help)")
        }
        try StoragePaths.check(&parsed, locations: spec.locations)
        return parsed
    }
}
