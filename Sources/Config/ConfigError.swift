/// A config file problem, naming the file, the key path (`alerts.error_rate`) and the expected form.
package struct ConfigError: Error, CustomStringConvertible, Equatable {
    package var file: String
    package var key: String
    package var message: String

    package init(file: String, key: String, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    package var description: String {
        key.isEmpty ? "\(file): \(message)" : "\(file): \(key): \(message)"
    }
}
