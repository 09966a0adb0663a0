import Codecs

/// GZIP (RFC 1952) page compression: writes the gzip wrapper, reads zlib or gzip (auto-detected),
/// accepting several members in one page. The zlib calls live in `Codecs.Zlib`.
enum Gzip {
    static func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(ParquetError) {
        do throws(CodecError) {
            try Zlib.deflate(input, framing: .gzip, into: &out)
        } catch {
            throw ParquetError(error.message)
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int) throws(ParquetError) -> [UInt8] {
        do throws(CodecError) {
            return try Zlib.inflate(input, expectedLength: expectedLength, name: "GZIP page")
        } catch {
            throw ParquetError("GZIP page: \(error.message)")
        }
    }
}
