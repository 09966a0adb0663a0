/// What to add to SQLite's "no such table" and "no such column" messages so a user can fix the
/// statement without opening the docs: the lake's tables, and the closest name when a table or
/// column looks misspelt (edit distance at most a third of the name, at least one).
enum SQLErrorHint {
    /// `message` with the hint appended, or as it is when there is nothing to say.
    static func message(_ message: String, tables: [(name: String, columns: [String])]) -> String {
        if let name = suffix(of: message, after: "no such table: ") {
            let bare = name.split(separator: ".").last.map(String.init) ?? name
            var text = message
            if let near = closest(to: bare, among: tables.map(\.name)) { text += "; did you mean \(near)?" }
            return text + " (the lake's tables: " + tables.map(\.name).joined(separator: ", ") + ")"
        }
        if let name = suffix(of: message, after: "no such column: ") {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let bare = parts.last ?? name
            // A qualifier naming a lake table narrows the candidates to that table's columns.
            let owner = parts.count > 1 ? tables.first { $0.name == parts[parts.count - 2] } : nil
            let candidates = owner.map { [$0] } ?? tables
            var seen = Set<String>()
            let columns = candidates.flatMap(\.columns).filter { seen.insert($0).inserted }
            if let near = closest(to: bare, among: columns) {
                let holders = candidates.filter { $0.columns.contains(near) }.map(\.name)
                return message + "; did you mean \(near)? (a column of " + holders.joined(separator: ", ") + ")"
            }
            if let owner { return message + " (the columns of \(owner.name): " + owner.columns.joined(separator: ", ") + ")" }
        }
        return message
    }

    private static func suffix(of message: String, after prefix: String) -> String? {
        guard message.hasPrefix(prefix) else { return nil }
        let rest = String(message.dropFirst(prefix.count))
        return rest.isEmpty ? nil : rest
    }

    /// The candidate nearest to `name` (case-insensitive `distance`) when it is near
    /// enough; of equally near ones, the first.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        let limit = max(1, target.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = distance(target, Array(candidate.lowercased().unicodeScalars))
            if distance <= limit, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap of two
    /// neighbours as one edit (optimal string alignment): "modle" is one edit from "model".
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)  // row i - 2
        var previous = Array(0...b.count)  // row i - 1
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                var cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cost = min(cost, before[j - 2] + 1) }
                current[j] = cost
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
