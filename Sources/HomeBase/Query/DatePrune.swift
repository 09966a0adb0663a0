/// Which parts a plan keeps: `=`, `<`, `<=`, `>`, `>=` on `date`, compared as SQLite compares
/// text (bytewise); a non-text value prunes nothing (SQLite still checks every row).
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

    static func keeps(_ date: String, ops: [Character], values: [SQLiteValue]) -> Bool {
        for (op, value) in zip(ops, values) {
            guard case .text(let bound) = value else { continue }
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
