/// An append-only array kept in blocks of `blockSize` elements. Growing never copies what is
/// stored: a list of millions of rows costs its size, where a Swift array holds its old and its
/// doubled buffer at once each time it grows (and up to half of the new one unused after).
/// The first block grows as an array does, so a short list costs what an array would.
struct ChunkedArray<Element>: RandomAccessCollection {
    /// Elements per block: a power of two, so an index splits with a shift and a mask.
    static var blockShift: Int { 14 }
    private static var blockMask: Int { (1 << blockShift) - 1 }

    private var blocks: [[Element]] = []
    private(set) var count = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "ChunkedArray index \(position) out of range 0..<\(count)")
        return blocks[position >> Self.blockShift][position & Self.blockMask]
    }

    mutating func append(_ element: Element) {
        if count & Self.blockMask == 0 {
            var block: [Element] = []
            if count > 0 { block.reserveCapacity(1 << Self.blockShift) }  // later blocks fill up: size them once
            blocks.append(block)
        }
        blocks[blocks.count - 1].append(element)
        count += 1
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}
