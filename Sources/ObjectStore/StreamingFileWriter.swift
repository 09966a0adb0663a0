import Foundation
import HomeBaseCore

/// Where a streamed GET lands: a file written chunk by chunk while its SHA-256 is computed, so a
/// download of any size holds one network chunk in memory. `restart` starts over for a retry.
final class StreamingFileWriter: @unchecked Sendable {
    let path: String
    private var handle: FileHandle?
    private var hasher = SHA256()
    private(set) var bytes: Int64 = 0

    init(path: String) { self.path = path }

    /// Truncates the file and resets the hash; returns the sink for one attempt.
    func restart() throws -> (Data) throws -> Void {
        close()
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        hasher = SHA256()
        bytes = 0
        return { [self] chunk in
            try handle.write(contentsOf: chunk)
            chunk.withUnsafeBytes { hasher.update($0) }
            bytes += Int64(chunk.count)
        }
    }

    /// Flushes to disk and returns the SHA-256 hex of what was written.
    func finish() throws -> String {
        try handle?.synchronize()
        close()
        return hasher.finalizeHex()
    }

    func close() {
        try? handle?.close()
        handle = nil
    }
}
