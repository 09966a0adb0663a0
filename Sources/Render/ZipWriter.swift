import HomeBaseCore
import Codecs
/// A minimal in-memory ZIP archive (PKWARE APPNOTE): deflated entries with CRC and sizes in the local
/// header (no data descriptors), no ZIP64, one fixed DOS timestamp so output is reproducible.
package struct ZipWriter {
    private var output: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0
    private let dosTime: UInt16
    private let dosDate: UInt16

    /// `modifiedMicros` is the timestamp every entry gets (clamped to the DOS range 1980…2107).
    package init(modifiedMicros: Int64) {
        let days = UTCDate.dayNumber(micros: modifiedMicros)
        var (year, month, day) = UTCDate.civil(days: days)
        let seconds = (modifiedMicros - days * 86_400_000_000) / 1_000_000
        var (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        if year < 1980 { (year, month, day, hour, minute, second) = (1980, 1, 1, 0, 0, 0) }
        if year > 2107 { (year, month, day, hour, minute, second) = (2107, 12, 31, 23, 59, 58) }
        dosTime = UInt16(hour << 11 | minute << 5 | second / 2)
        dosDate = UInt16((year - 1980) << 9 | month << 5 | day)
    }

    /// Adds a file; `deflate: false` stores it. Names use "/" and no leading "/"; non-ASCII sets the UTF-8 flag.
    package mutating func add(_ name: String, _ data: [UInt8], deflate: Bool = true) throws(RenderError) {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\") else { throw RenderError("bad ZIP entry name '\(name)'") }
        let body = deflate ? try Zlib.pack(data, framing: .raw) : data
        let offset = output.count
        guard count < 0xFFFF, data.count < 0xFFFF_FFFF, offset + body.count + name.utf8.count + 30 < 0xFFFF_FFFF else {
            throw RenderError("ZIP archive too large (ZIP64 is not supported; over 4 GiB or 65,535 entries)")
        }
        let nameBytes = Array(name.utf8)
        let flags: UInt16 = nameBytes.contains(where: { $0 >= 0x80 }) ? 0x0800 : 0
        let crc = Zlib.crc32(data)
        let method: UInt16 = deflate ? 8 : 0
        // Local file header.
        output += le32(0x0403_4B50) + le16(20) + le16(flags) + le16(method) + le16(dosTime) + le16(dosDate)
        output += le32(crc) + le32(UInt32(body.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
        output += nameBytes
        output += body
        // Central directory header: made by Unix (3) spec 2.0, mode 0644.
        central += le32(0x0201_4B50) + le16(0x0314) + le16(20) + le16(flags) + le16(method) + le16(dosTime) + le16(dosDate)
        central += le32(crc) + le32(UInt32(body.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count))
        central += le16(0) + le16(0) + le16(0) + le16(0) + le32(UInt32(0o100644) << 16) + le32(UInt32(offset))
        central += nameBytes
        count += 1
    }

    /// The complete archive: entries, central directory, end record.
    package func finish() -> [UInt8] {
        var archive = output
        archive += central
        archive += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
        archive += le32(UInt32(central.count)) + le32(UInt32(output.count)) + le16(0)
        return archive
    }

    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
