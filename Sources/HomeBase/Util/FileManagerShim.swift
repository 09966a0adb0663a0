import Foundation

/// Small file-system helpers shared by commands.
package enum FileManagerShim {
    package static func createDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
