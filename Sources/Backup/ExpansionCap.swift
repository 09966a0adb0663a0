#if canImport(Glibc)
    import Glibc
#endif

/// How much an untrusted archive may write out on restore, checked before an entry is written:
/// the manifest and tar header come from the same archive, so a size they agree on is only
/// believed when deflate could have produced it from this many compressed bytes, and when the
/// target has room for it. A decompression bomb is refused before it fills the disk.
struct ExpansionCap {
    /// Deflate emits at least one bit per 258-byte match: no stream expands more than ~1032:1.
    static let maxDeflateRatio: Int64 = 1032
    /// Headers, padding and the gzip framing of a tiny archive.
    static let slack: Int64 = 1 << 20

    /// Compressed bytes of the archive.
    let archiveBytes: Int64

    /// Why `size` more bytes (after `written` already) cannot be written into `targetDir`, or nil.
    func problem(size: Int64, written: Int64, targetDir: String) -> String? {
        let (limit, overflow) = archiveBytes.multipliedReportingOverflow(by: Self.maxDeflateRatio)
        let cap = overflow ? Int64.max : limit.addingReportingOverflow(Self.slack).partialValue
        if size > cap - written {
            return
                "refused: \(size) bytes claimed, more than \(archiveBytes) compressed bytes can expand to (\(Self.maxDeflateRatio):1); the archive is damaged or hostile"
        }
        var info = statvfs()
        if statvfs(targetDir, &info) == 0 {
            let free = Int64(clamping: UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize)).partialValue)
            if size > free { return "refused: \(size) bytes claimed, only \(free) bytes free under \(targetDir)" }
        }
        return nil
    }
}
