import Foundation
import HomeBaseCore
import Codecs
import Lake

/// What a nightly analysis keeps for the next one: the analysis pass, the names and the
/// recommendations' sums after the lake's leading parts whose calls can only count towards
/// range-wide sums (dated `settlingDays` or more before both `now` and the range's last day: no
/// window, hourly series, forecast history or month reaches them). The next run over the same
/// zone, first day, price book and rules reads those parts from here instead of the lake, and
/// every part after them as before, in the same order, so its sums are the same to the last bit.
///
/// A cache: `<data>/cache/analysis-state.bin`, written without fsync and checked on reading (a
/// CRC-32 of the file, the build that wrote it, the key and every saved part's path and size);
/// anything that does not match is ignored and the lake read in full. Only analyses of the newest
/// snapshot from the lake's first day without an agent filter (the nightly's, `analyze`'s
/// default) use it.
struct AnalysisCheckpoint {
    /// Days before `now`'s UTC date (and before the range's last day) from which a partition is
    /// settled: the longest history a section reads before `now`, plus a day for the zone's offset
    /// and two to spare.
    static let settlingDays = Analyzer.historyDays + 3
    /// A state is saved again once this many more days have settled.
    static let saveAfterDays = 7
    static let directory = "cache"
    static let fileName = "analysis-state.bin"
    private static let magic = Array("HBAS0001".utf8)

    let path: String
    /// Everything besides the parts that the saved sums depend on.
    private let key: [UInt8]

    /// The state the stream carries from part to part.
    struct State {
        var names: CallTable.Names
        var pass: AnalysisPass
        var recommendations: RecommendationCalls?
    }

    /// Nil when the analysis cannot share a saved state (an older snapshot, an agent filter or a
    /// first day of its own).
    init?(options: AnalysisOptions, plan: AnalysisPlan, priceBook: PriceBook?, recommendations: RecommendationCalls?) {
        guard options.resumeFromSavedState, options.asOf == nil, options.agent == nil, options.from == nil else { return nil }
        path = options.dataDir + "/" + Self.directory + "/" + Self.fileName
        var key = StateWriter()
        key.string(Self.buildIdentity)
        key.string(options.timeZone)
        key.int64(plan.fromDay)
        Self.write(priceBook, to: &key)
        key.bool(recommendations != nil)
        if let options = recommendations?.options { Self.write(options, to: &key) }
        self.key = key.bytes
    }

    /// How many leading parts of `plan` are settled (never the last one, so at least one part is
    /// read and every per-name array grows as in a full read).
    static func settledParts(_ plan: AnalysisPlan) -> Int {
        let parts = plan.scan.parts
        guard parts.count > 1 else { return 0 }
        let limit = min(UTCDate.dayNumber(micros: plan.now), plan.toDay) - Int64(settlingDays)
        var k = 0
        while k < parts.count - 1, let day = UTCDate.parseDate(parts[k].date), day <= limit { k += 1 }
        return k
    }

    /// Whether to save after the `settled` parts when the state read covers `saved` of them: when
    /// there was none, or when it is `saveAfterDays` days behind. Between, a run reads the few
    /// days settled since (about a millisecond each on a year's bench) instead of writing the
    /// whole state every night.
    static func worthSaving(_ plan: AnalysisPlan, saved: Int, settled: Int) -> Bool {
        guard settled > saved else { return false }
        guard saved > 0, let from = UTCDate.parseDate(plan.scan.parts[saved - 1].date),
            let to = UTCDate.parseDate(plan.scan.parts[settled - 1].date)
        else { return true }
        return to - from >= Int64(saveAfterDays)
    }

    /// The saved state and how many parts it covers, when it was saved for this key and these
    /// parts still lead the plan's; nil otherwise (and for any damage).
    func load(plan: AnalysisPlan, fresh: State) -> (state: State, parts: Int)? {
        // First the checksum over the whole file, then the state streamed from it: nothing is
        // taken from a damaged file, and the file is never in memory whole.
        guard let file = try? RawFile.openForReading(path), let size = try? file.size(), size > Self.magic.count + 4 else { return nil }
        let body = Int(size) - 4
        var crc: UInt32 = 0, left = body
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let summed = Trace.span("analyze.state-crc") {
            buffer.withUnsafeMutableBytes { raw -> Bool in
                while left > 0 {
                    let n = (try? file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<min(left, raw.count)]))) ?? 0
                    guard n > 0 else { return false }
                    crc = Zlib.crc32(UnsafeRawBufferPointer(rebasing: raw[..<n]), continuing: crc)
                    left -= n
                }
                return true
            }
        }
        var trailer = [UInt8](repeating: 0, count: 4), magic = [UInt8](repeating: 0, count: Self.magic.count)
        guard summed, (try? trailer.withUnsafeMutableBytes { try file.readFully(into: $0) }) == true,
            trailer.enumerated().reduce(UInt32(0), { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }) == crc, (try? file.rewind()) != nil,
            (try? magic.withUnsafeMutableBytes { try file.readFully(into: $0) }) == true, magic == Self.magic
        else { return nil }
        buffer = []
        var input = StateReader(count: body - Self.magic.count) { (try? file.read(into: $0)) ?? 0 }
        do {
            guard try input.array(of: UInt8.self) == key else { return nil }
            let parts = try input.int()
            guard parts > 0, parts <= Self.settledParts(plan), try input.int64() == plan.laterMinimum[parts - 1] else { return nil }
            for part in plan.scan.parts[..<parts] {
                guard try input.string() == part.path, try input.int64() == part.byteSize, try input.int64() == part.rowCount else { return nil }
            }
            var state = fresh
            state.names = try CallTable.Names(reading: &input)
            try state.pass.resume(reading: &input)
            if let template = fresh.recommendations {
                state.recommendations = try RecommendationCalls(reading: &input, options: template.options, book: template.book)
            }
            guard input.atEnd else { return nil }
            return (state, parts)
        } catch {
            return nil
        }
    }

    /// Saves `state`, which holds the first `parts` parts of `plan`, streamed to a temporary file
    /// with its CRC-32 last, then renamed over the old one (best effort: a data directory that
    /// cannot take it is read in full next time).
    func save(_ state: State, parts: Int, plan: AnalysisPlan) {
        guard parts > 0, state.pass.holdsOnlyRangeSums else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = AtomicFile.temporaryPath(for: path)
        try? FileManager.default.removeItem(atPath: temporary)  // a crashed run's, under a reused pid
        guard let file = try? RawFile.create(temporary) else { return }
        var crc: UInt32 = 0
        var out = StateWriter { piece in
            crc = piece.withUnsafeBytes { Zlib.crc32($0, continuing: crc) }
            return (try? file.write(piece)) != nil
        }
        out.raw(Self.magic)
        out.array(key)
        out.int(parts)
        out.int64(plan.laterMinimum[parts - 1])
        for part in plan.scan.parts[..<parts] {
            out.string(part.path)
            out.int64(part.byteSize)
            out.int64(part.rowCount)
        }
        state.names.write(to: &out)
        var complete = state.pass.write(to: &out)
        state.recommendations?.write(to: &out)
        out.flush()
        let trailer = (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
        complete = complete && !out.failed && (try? file.write(trailer)) != nil
        file.close()
        if !complete || (try? AtomicFile.commit(temporary, to: path, durable: false)) == nil {
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    /// The running executable's path, size and modification time: a state is read back only by
    /// the build that wrote it (the layouts it saves are that build's).
    static let buildIdentity: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
        let attributes = try? FileManager.default.attributesOfItem(atPath: executable)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(Product.version) \(executable) \(size) \(modified)"
    }()

    /// Every price, in key order.
    private static func write(_ book: PriceBook?, to out: inout StateWriter) {
        let entries = (book?.entries ?? [:]).sorted { $0.key < $1.key }
        out.int(entries.count)
        for (name, price) in entries {
            out.string(name)
            for value in [price.input, price.output] { out.double(value) }
            for value in [price.cacheRead, price.cacheWrite] { out.optional(value) { $0.double($1) } }
        }
    }

    /// Every rule threshold, sets and maps in key order.
    private static func write(_ options: RecommendationOptions, to out: inout StateWriter) {
        out.strings(options.cachingProviders.sorted())
        let smaller = options.smallerModels.sorted { $0.key < $1.key }
        out.strings(smaller.map(\.key) + smaller.map(\.value))
        for value in [
            options.minimumMonthlySavingUSD, options.cachingMaxReadShare, options.cacheTTLSeconds, options.rightSizingMinPriceRatio,
            options.runawayFactor, options.runawayMinCostUSD, options.scheduleMinCoverage, options.idleMinCostGrowth, options.idleMaxOutputGrowth
        ] { out.double(value) }
        for value in [options.cachingMinInputTokens, options.rightSizingMaxOutputTokens] { out.int64(value) }
        for value in [options.runawayMinCalls, options.runawayMinSessions, options.scheduleSlotMinutes, options.scheduleMinRuns] { out.int(value) }
    }
}
