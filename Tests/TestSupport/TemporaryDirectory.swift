import Foundation

/// A fresh directory under the system temp dir, removed by `remove()`.
package struct TemporaryDirectory: Sendable {
    package let url: URL
    package var path: String { url.path }

    package init(_ label: String = "homebase-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    package func file(_ name: String) -> String { url.appendingPathComponent(name).path }
    package func remove() { try? FileManager.default.removeItem(at: url) }
}
