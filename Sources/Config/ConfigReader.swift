import Foundation
import HomeBaseCore
import ObjectStore

/// Strict typed access to one JSON object of the config: every key read is remembered, and
/// `finish()` rejects the keys nobody read, so a typo is an error and not a silent default.
struct ConfigReader {
    let file: String
    let path: String
    /// Directory that relative paths are resolved against (the config file's own directory).
    let baseDir: String
    private let members: [(key: String, value: JSONValue)]
    private var used: Set<String> = []

    init(file: String, path: String, baseDir: String, value: JSONValue) throws {
        guard case .object(let members) = value else {
            throw ConfigError(file: file, key: path, "expected an object {...}, got \(ConfigReader.kind(value))")
        }
        self.file = file
        self.path = path
        self.baseDir = baseDir
        self.members = members
    }

    private func keyPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func fail(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: keyPath(key), message) }

    mutating func raw(_ key: String) -> JSONValue? {
        used.insert(key)
        guard let value = members.last(where: { $0.key == key })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    mutating func string(_ key: String, expected: String = "a string") throws -> String? {
        guard let value = raw(key) else { return nil }
        guard case .string(let s) = value else { throw fail(key, "expected \(expected), got \(ConfigReader.kind(value))") }
        return s
    }

    mutating func number(_ key: String, expected: String = "a number", range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let value = raw(key) else { return nil }
        guard case .number(let text) = value, let number = Double(text), number.isFinite else {
            throw fail(key, "expected \(expected), got \(ConfigReader.kind(value))")
        }
        if let range, !range.contains(number) {
            throw fail(
                key, "expected \(expected) between \(ConfigReader.format(range.lowerBound)) and \(ConfigReader.format(range.upperBound)), got \(text)"
            )
        }
        return number
    }

    mutating func integer(_ key: String, expected: String = "a whole number", range: ClosedRange<Int>) throws -> Int? {
        guard let number = try number(key, expected: expected) else { return nil }
        guard number == number.rounded(), let value = Int(exactly: number), range.contains(value) else {
            throw fail(key, "expected \(expected) between \(range.lowerBound) and \(range.upperBound), got \(ConfigReader.format(number))")
        }
        return value
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let value = raw(key) else { return nil }
        guard case .bool(let b) = value else { throw fail(key, "expected true or false, got \(ConfigReader.kind(value))") }
        return b
    }

    /// A list of strings; a single string is accepted as a list of one.
    mutating func strings(_ key: String, expected: String = "a list of strings") throws -> [String]? {
        guard let value = raw(key) else { return nil }
        if case .string(let s) = value { return [s] }
        guard case .array(let items) = value else { throw fail(key, "expected \(expected), got \(ConfigReader.kind(value))") }
        return try items.enumerated().map { index, item in
            guard case .string(let s) = item else { throw fail("\(key)[\(index)]", "expected a string, got \(ConfigReader.kind(item))") }
            return s
        }
    }

    /// A path, `~` expanded and relative paths resolved against the config file's directory. A URL
    /// (`s3://`, `gs://`, `http://`…) is refused: this key takes a local path.
    mutating func path(_ key: String) throws -> String? {
        guard let text = try string(key, expected: "a path") else { return nil }
        return resolve(try localPath(text, key: key))
    }

    mutating func paths(_ key: String) throws -> [String]? {
        guard let texts = try strings(key, expected: "a list of paths") else { return nil }
        return try texts.enumerated().map { index, text in resolve(try localPath(text, key: "\(key)[\(index)]")) }
    }

    /// A storage location (`backup.dir`, `lake_mirror`): `s3://bucket/prefix` kept as written, a
    /// local path resolved like `path`; any other scheme refused with the one-line reason.
    mutating func location(_ key: String) throws -> String? {
        guard let text = try string(key, expected: "a directory or s3://bucket/prefix") else { return nil }
        do {
            switch try StorageLocation.parse(text) {
            case .s3(let location): return location.description
            case .local(let path): return resolve(path)
            }
        } catch { throw fail(key, error.description) }
    }

    private func localPath(_ text: String, key: String) throws -> String {
        do throws(UnsupportedLocation) {
            switch try StorageLocation.parse(text) {
            case .local(let path): return path
            case .s3: throw UnsupportedLocation(text: text, reason: "this key takes a local path; s3:// is only for backup.dir and lake_mirror")
            }
        } catch { throw fail(key, error.description) }
    }

    func resolve(_ path: String) -> String {
        if path == "~" || path.hasPrefix("~/") {
            let home = ProcessEnvironment.current["HOME"] ?? NSHomeDirectory()
            return home + path.dropFirst()
        }
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        return ((baseDir + "/" + path) as NSString).standardizingPath
    }

    /// A nested object, read by `body` with its own strict reader.
    mutating func object<T>(_ key: String, _ body: (inout ConfigReader) throws -> T) throws -> T? {
        guard let value = raw(key) else { return nil }
        var reader = try ConfigReader(file: file, path: keyPath(key), baseDir: baseDir, value: value)
        let result = try body(&reader)
        try reader.finish()
        return result
    }

    /// A list of objects, each read by `body`.
    mutating func objects<T>(_ key: String, _ body: (inout ConfigReader) throws -> T) throws -> [T]? {
        guard let value = raw(key) else { return nil }
        guard case .array(let items) = value else { throw fail(key, "expected a list [...] of objects, got \(ConfigReader.kind(value))") }
        return try items.enumerated().map { index, item in
            var reader = try ConfigReader(file: file, path: keyPath(key) + "[\(index)]", baseDir: baseDir, value: item)
            let result = try body(&reader)
            try reader.finish()
            return result
        }
    }

    /// An object used as a map from free-form keys to values read by `body`.
    mutating func map<T>(_ key: String, _ body: (_ key: String, _ value: JSONValue, _ path: String) throws -> T) throws -> [String: T]? {
        guard let value = raw(key) else { return nil }
        guard case .object(let members) = value else { throw fail(key, "expected an object {...}, got \(ConfigReader.kind(value))") }
        var result: [String: T] = [:]
        for member in members { result[member.key] = try body(member.key, member.value, keyPath(key) + "." + member.key) }
        return result
    }

    /// Rejects keys that were never read, naming the ones that are allowed.
    func finish() throws {
        let known = used.sorted()
        for member in members where !used.contains(member.key) {
            throw fail(member.key, "unknown key (allowed here: \(known.joined(separator: ", ")))")
        }
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let n): "the number \(n)"
        case .string(let s): "the string \"\(s.prefix(40))\""
        case .array: "a list"
        case .object: "an object"
        }
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
