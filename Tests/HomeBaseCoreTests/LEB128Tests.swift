import Testing
@testable import HomeBaseCore

/// Varints and zigzag against values worked out by hand (the LEB128 and Thrift compact examples).
@Suite struct LEB128Tests {
    @Test func varintsAndZigzagAreTheDocumentedBytes() {
        func bytes(_ value: UInt64) -> [UInt8] {
            var out: [UInt8] = []
            LEB128.append(value, to: &out)
            return out
        }
        #expect(bytes(0) == [0x00])
        #expect(bytes(127) == [0x7f])
        #expect(bytes(128) == [0x80, 0x01])
        #expect(bytes(300) == [0xac, 0x02])
        #expect(bytes(624_485) == [0xe5, 0x8e, 0x26])
        #expect(bytes(UInt64.max) == [UInt8](repeating: 0xff, count: 9) + [0x01])
        let pairs: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294), (Int64.min, UInt64.max)]
        for (signed, unsigned) in pairs {
            #expect(LEB128.zigzag(signed) == unsigned)
            #expect(LEB128.unzigzag(unsigned) == signed)
        }
    }
}
