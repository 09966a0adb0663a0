import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// What a comparison of the `ts` text with a text bound means for the stored microseconds.
///
/// A `ts` in `CallRange` reads as its 27-byte ISO-8601 text, which sorts as time does, so
/// `ts op 'bound'` holds exactly for the stored values in one interval `[low, high]` (or outside
/// it, for `!=`). A stored value outside `CallRange` reads as an integer, which the comparison
/// (TEXT affinity: the column is declared TEXT) turns into its decimal text first.
struct TsBound: Equatable {
    var low: Int64
    var high: Int64
    /// True for `!=`: the values outside `[low, high]` match.
    var negated = false
    let op: String
    let bound: [UInt8]

    /// `op` is one of `=`, `<`, `<=`, `>`, `>=`, `!=`.
    init?(op: String, bound: [UInt8]) {
        let lo = CallRange.minMicros, hi = CallRange.maxMicros
        // First stored value whose text is >= bound (or > bound): a binary search over the range.
        func first(_ after: Bool) -> Int64 {
            var a = lo, b = hi + 1
            let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 27)
            defer { scratch.deallocate() }
            while a < b {
                let m = a + (b - a) / 2
                ISOStamp.format(micros: m, into: scratch)
                let text = UnsafeBufferPointer(scratch)
                let passes = after ? bound.lexicographicallyPrecedes(text) : !text.lexicographicallyPrecedes(bound)
                if passes { b = m } else { a = m + 1 }
            }
            return a
        }
        let ge = first(false), gt = first(true)
        self.op = op
        self.bound = bound
        switch op {
        case ">=": (low, high) = (ge, hi)
        case ">": (low, high) = (gt, hi)
        case "<": (low, high) = (lo, ge - 1)
        case "<=": (low, high) = (lo, gt - 1)
        case "=": (low, high) = (ge, gt - 1)
        case "!=": (low, high, negated) = (ge, gt - 1, true)
        default: return nil
        }
    }

    @inline(__always) func matches(_ micros: Int64) -> Bool {
        guard micros >= CallRange.minMicros && micros <= CallRange.maxMicros else { return outOfRangeMatches(micros) }
        return (micros >= low && micros <= high) != negated
    }

    /// A value shown as an integer, compared as its decimal text (SQLite's TEXT affinity).
    private func outOfRangeMatches(_ micros: Int64) -> Bool {
        let text = Array(String(micros).utf8)
        let c = text == bound ? 0 : (text.lexicographicallyPrecedes(bound) ? -1 : 1)
        return RowTest.holds(op, c)
    }

    /// False when no stored value in `[min, max]` can match (the row group can be skipped).
    func mayMatch(min: Int64, max: Int64) -> Bool {
        if min < CallRange.minMicros || max > CallRange.maxMicros { return true }
        let a = Swift.max(min, CallRange.minMicros), b = Swift.min(max, CallRange.maxMicros)
        guard a <= b else { return false }
        if negated { return !(low <= a && b <= high) }
        return !(b < low || a > high)
    }

    /// True when every stored value in `[min, max]` matches: a row group whose statistics show
    /// this needs no per-row test (nor its `ts` column, unless something else reads it).
    func coversAll(min: Int64, max: Int64) -> Bool {
        guard !negated, min <= max, min >= CallRange.minMicros, max <= CallRange.maxMicros else { return false }
        return low <= min && max <= high
    }

    /// True when the statistics of `group` prove every row passes all `bounds` (non-empty).
    static func coversAll(_ group: RowGroupInfo, tsColumn name: String, bounds: [TsBound]) -> Bool {
        guard !bounds.isEmpty, let info = group.column(name), info.nullCount == 0, case .int(let lo)? = info.min, case .int(let hi)? = info.max
        else { return false }  // a null ts fails every comparison: only a count of 0 proves there is none
        return bounds.allSatisfy { $0.coversAll(min: lo, max: hi) }
    }

    /// The bounds of the `ts` comparisons a scan got (plan codes as `DatePrune.tsCode` writes them).
    static func from(ops: [Character], values: [SQLiteValue]) -> [TsBound] {
        var bounds: [TsBound] = []
        for (op, value) in zip(ops, values) {
            guard case .text(let text) = value else { continue }
            let sql: String
            switch op {
            case "q": sql = "="
            case "a": sql = "<"
            case "A": sql = "<="
            case "b": sql = ">"
            case "B": sql = ">="
            default: continue
            }
            if let bound = TsBound(op: sql, bound: Array(text.utf8)) { bounds.append(bound) }
        }
        return bounds
    }

    /// True when every bound may match some `ts` of `group` (by its min/max statistics; a row
    /// group without them is always read).
    static func keeps(_ group: RowGroupInfo, tsColumn name: String, bounds: [TsBound]) -> Bool {
        guard !bounds.isEmpty, let info = group.column(name), case .int(let lo)? = info.min, case .int(let hi)? = info.max, lo <= hi else {
            return true
        }
        return bounds.allSatisfy { $0.mayMatch(min: lo, max: hi) }
    }
}
