import Foundation
import HomeBaseCore

/// Cost and latency pairs of one model's calls, in row order, in fixed blocks of
/// `blockSize`. A full block goes to a `PairSpill` file when one is given, so the pairs of ten
/// million calls (160 MB, what the Spearman correlation needs) do not stay in memory; without a
/// file, or when writing fails, blocks stay in memory. Growing never copies.
struct PairBlocks: Sendable {
    static let blockSize = 1 << 16
    private var inMemory: [[Double]] = []  // alternating costs, latencies; the last pair may be partial
    private var spilled: [UInt64] = []  // file offsets of full blocks, in order
    private(set) var count = 0

    mutating func append(cost: Double, latency: Double, spill: PairSpill?) {
        if count % Self.blockSize == 0 {
            if let spill, inMemory.count == 2, let offset = spill.write(costs: inMemory[0], latencies: inMemory[1]) {
                spilled.append(offset)
                inMemory = []
            }
            for _ in 0..<2 {
                inMemory.append([])
                inMemory[inMemory.count - 1].reserveCapacity(Self.blockSize)
            }
        }
        inMemory[inMemory.count - 2].append(cost)
        inMemory[inMemory.count - 1].append(latency)
        count += 1
    }

    /// The pairs as two arrays in row order (built for one model's correlation, then dropped).
    func arrays(spill: PairSpill?) -> (costs: [Double], latencies: [Double])? {
        var costs: [Double] = [], latencies: [Double] = []
        costs.reserveCapacity(count)
        latencies.reserveCapacity(count)
        for offset in spilled {
            guard let block = spill?.read(at: offset, count: Self.blockSize) else { return nil }
            costs += block.costs
            latencies += block.latencies
        }
        for k in stride(from: 0, to: inMemory.count, by: 2) {
            costs += inMemory[k]
            latencies += inMemory[k + 1]
        }
        return (costs, latencies)
    }
}

extension PairBlocks {
    /// The pairs in row order, block by block (`AnalysisCheckpoint`: a spilled block is read back
    /// and written out alone, so the pairs are never all in memory); false when a spilled block
    /// cannot be read back.
    func write(to out: inout StateWriter, spill: PairSpill?) -> Bool {
        out.int(count)
        for offset in spilled {
            guard let block = spill?.read(at: offset, count: Self.blockSize) else { return false }
            out.array(block.costs)
            out.array(block.latencies)
        }
        for k in stride(from: 0, to: inMemory.count, by: 2) {
            out.array(inMemory[k])
            out.array(inMemory[k + 1])
        }
        return true
    }

    /// The pairs `write` saved, block by block as `append` fills them: full ones to the spill file
    /// until it fails to take one (that block and all after it stay in memory), the last one in
    /// memory with room for the rest of its block.
    init(reading input: inout StateReader, spill: PairSpill?) throws {
        self.init()
        let total = try input.int()
        guard total >= 0 else { throw input.damaged() }
        while count < total {
            var costs = try input.array(of: Double.self), latencies = try input.array(of: Double.self)
            let end = count + costs.count
            guard costs.count == latencies.count, !costs.isEmpty, end <= total, costs.count == Self.blockSize || end == total else {
                throw input.damaged()
            }
            if inMemory.isEmpty, end < total, costs.count == Self.blockSize, let spill,
                let offset = spill.write(costs: costs, latencies: latencies)
            {
                spilled.append(offset)
            } else {
                costs.reserveCapacity(Self.blockSize)
                latencies.reserveCapacity(Self.blockSize)
                inMemory += [costs, latencies]
            }
            count = end
        }
    }
}

/// An unlinked temporary file the full pair blocks of every model are written to (the
/// operating system removes it when the analysis ends, however it ends).
final class PairSpill: @unchecked Sendable {
    private let handle: FileHandle
    private var end: UInt64 = 0
    private let lock = NSLock()

    /// Nil when no temporary file can be made (the blocks then stay in memory).
    init?(directory: String = NSTemporaryDirectory()) {
        let path = (directory as NSString).appendingPathComponent("homebase-pairs-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forUpdatingAtPath: path) else { return nil }
        try? FileManager.default.removeItem(atPath: path)
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Appends a block; its offset, or nil when the write failed (the caller keeps it in memory).
    func write(costs: [Double], latencies: [Double]) -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        var data = Data(capacity: (costs.count + latencies.count) * 8)
        costs.withUnsafeBytes { data.append(contentsOf: $0) }
        latencies.withUnsafeBytes { data.append(contentsOf: $0) }
        do {
            try handle.seek(toOffset: end)
            try handle.write(contentsOf: data)
        } catch {
            return nil
        }
        let offset = end
        end += UInt64(data.count)
        return offset
    }

    /// A block written at `offset` holding `count` pairs.
    func read(at offset: UInt64, count: Int) -> (costs: [Double], latencies: [Double])? {
        lock.lock()
        defer { lock.unlock() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.read(upToCount: count * 16), data.count == count * 16 else {
            return nil
        }
        return data.withUnsafeBytes { raw in
            let values = raw.bindMemory(to: Double.self)
            return (Array(values[0..<count]), Array(values[count..<2 * count]))
        }
    }
}
