/// HMAC-SHA256 (RFC 2104) over the streaming `SHA256`: what AWS Signature V4 chains to derive its
/// signing key and sign. Keys longer than the 64-byte block are hashed first, as the RFC says.
package enum HMAC {
    package static func sha256<Key: Collection, Message: Collection>(key: Key, message: Message) -> [UInt8]
    where Key.Element == UInt8, Message.Element == UInt8 {
        var block =
            key.count > 64
            ? {
                var h = SHA256(); h.update(Array(key)); return h.finalize()
            }() : Array(key)
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(Array(message))
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
