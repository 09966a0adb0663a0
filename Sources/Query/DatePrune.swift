import SQLiteStore
/// Which parts a plan keeps: `=`, `<`, `<=`, `>`, `>=` on `date`, and on `ts` for tables whose
/// `date` partition is the UTC day of `ts`, compared as SQLite compares text (bytewise); a
/// non-text value prunes nothing (SQLite still checks every row).
///
/// Every `ts` of a part dated D is the lake's ISO-8601 spelling (`D`T00:00:00.000000Z …
/// `D`T23:59:59.999999Z), so a bound on `ts` keeps a part only if that range can meet it. A
/// one-day `ts >= … AND ts < …` query then reads one part, not the whole table.
enum DatePrune {
    static func code(for op: SQLiteConstraint.Operator) -> Character? {
        switch op {
        case .equal: "e"
        case .less: "l"
        case .lessOrEqual: "L"
        case .greater: "g"
        case .greaterOrEqual: "G"
        case .other: nil
        }
    }

    /// The code of a comparison on `ts` (a date code shifted to other letters).
    static func tsCode(for op: SQLiteConstraint.Operator) -> Character? {
        switch op {
        case .equal: "q"
        case .less: "a"
        case .lessOrEqual: "A"
        case .greater: "b"
        case .greaterOrEqual: "B"
        case .other: nil
        }
    }

    /// True when a part dated `date` can hold a `ts` meeting `op bound`.
    static func tsMayMeet(_ date: String, op: Character, bound: String) -> Bool {
        let low = Array((date + "T00:00:00.000000Z").utf8), high = Array((date + "T23:59:59.999999Z").utf8)
        let x = Array(bound.utf8)
        func lt(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }
        switch op {
        case "q": return !lt(x, low) && !lt(high, x)  // low <= x <= high
        case "a": return lt(low, x)  // some ts < x needs low < x
        case "A": return !lt(x, low)  // some ts <= x needs low <= x
        case "b": return lt(x, high)  // some ts > x needs x < high
        case "B": return !lt(high, x)  // some ts >= x needs x <= high
        default: return true
        }
    }

    static func keeps(_ date: String, ops: [Character], values: [SQLiteValue]) -> Bool {
        for (op, value) in zip(ops, values) {
            guard case .text(let bound) = value else { continue }
            if "qaAbB".contains(op) {
                if !tsMayMeet(date, op: op, bound: bound) { return false }
                continue
            }
            let less = date.utf8.lexicographicallyPrecedes(bound.utf8)
            let greater = bound.utf8.lexicographicallyPrecedes(date.utf8)
            let ok: Bool
            switch op {
            case "e": ok = !less && !greater
            case "l": ok = less
            case "L": ok = !greater
            case "g": ok = greater
            case "G": ok = !less
            default: ok = true
            }
            if !ok { return false }
        }
        return true
    }
}
