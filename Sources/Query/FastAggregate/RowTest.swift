/// One WHERE condition of a fast-path plan, applied to a whole row group at a time. Comparisons
/// with NULL (a null row, a NaN double, a column the part lacks) are false; `IS [NOT] NULL` looks
/// only at nullness; text compares bytewise (BINARY); `ts` through `TsBound`.
struct RowTest {
    let test: FastAggregatePlan.Test
    let kind: FastAggregatePlan.Kind
    /// For `ts`: one bound per literal.
    let tsBounds: [TsBound]

    init(_ test: FastAggregatePlan.Test, kind: FastAggregatePlan.Kind) {
        self.test = test
        self.kind = kind
        var bounds: [TsBound] = []
        if kind == .tsMicros {
            switch test {
            case .compare(let op, .text(let b)): bounds = TsBound(op: op, bound: b).map { [$0] } ?? []
            case .anyEqual(let values):
                for case .text(let b) in values { if let bound = TsBound(op: "=", bound: b) { bounds.append(bound) } }
            default: break
            }
        }
        tsBounds = bounds
    }

    /// Bounds every kept row meets (for skipping row groups by their statistics).
    var rangeBounds: [TsBound] {
        if case .compare = test { return tsBounds }
        return []
    }

    var nullPasses: Bool {
        if case .isNull(let isNull) = test { return isNull }
        return false
    }

    @inline(__always) static func holds(_ op: String, _ c: Int) -> Bool {
        switch op {
        case "=": c == 0
        case "!=": c != 0
        case "<": c < 0
        case "<=": c <= 0
        case ">": c > 0
        case ">=": c >= 0
        default: false
        }
    }

    func passesText(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { passesText($0) } }

    func passesText(_ v: UnsafeRawBufferPointer) -> Bool {
        func cmp(_ literal: [UInt8]) -> Int { literal.withUnsafeBytes { compareBytes(v, $0) } }
        switch test {
        case .isNull(let isNull): return !isNull
        case .compare(let op, .text(let literal)): return Self.holds(op, cmp(literal))
        case .anyEqual(let literals):
            return literals.contains { if case .text(let l) = $0 { return cmp(l) == 0 } else { return false } }
        default: return false
        }
    }

    func passesInt(_ v: Int64) -> Bool {
        func cmp(_ l: Int64) -> Int { v == l ? 0 : (v < l ? -1 : 1) }
        switch test {
        case .isNull(let isNull): return !isNull
        case .compare(let op, .integer(let l)): return Self.holds(op, cmp(l))
        case .anyEqual(let literals): return literals.contains { $0 == .integer(v) }
        default: return false
        }
    }

    func passesReal(_ v: Double) -> Bool {
        func value(_ l: FastAggregatePlan.Literal) -> Double? {
            switch l {
            case .real(let d): d
            case .integer(let i): Double(i)  // the plan keeps only integers a double holds exactly
            case .text: nil
            }
        }
        switch test {
        case .isNull(let isNull): return !isNull
        case .compare(let op, let l):
            guard let d = value(l) else { return false }
            return Self.holds(op, v == d ? 0 : (v < d ? -1 : 1))
        case .anyEqual(let literals): return literals.contains { value($0) == v }
        }
    }

    func passesTs(_ v: Int64) -> Bool {
        switch test {
        case .isNull(let isNull): return !isNull
        case .compare: return tsBounds.first?.matches(v) ?? false
        case .anyEqual: return tsBounds.contains { $0.matches(v) }
        }
    }

    /// Clears `mask[r]` for each row that fails.
    func apply(_ vector: ColumnVector, _ mask: inout [Bool]) {
        let rows = mask.count
        let nullPasses = self.nullPasses
        switch vector {
        case .missing:
            if !nullPasses { for r in 0..<rows { mask[r] = false } }
        case .ints(let values, let valid):
            let ts = kind == .tsMicros
            for r in 0..<rows where mask[r] {
                if let valid, !valid[r] { mask[r] = nullPasses; continue }
                mask[r] = ts ? passesTs(values[r]) : passesInt(values[r])
            }
        case .reals(let values, let valid):
            for r in 0..<rows where mask[r] {
                if let valid, !valid[r] { mask[r] = nullPasses; continue }
                mask[r] = passesReal(values[r])
            }
        case .texts(let values, let valid):
            values.bytes.withUnsafeBytes { bytes in
                for r in 0..<rows where mask[r] {
                    if let valid, !valid[r] { mask[r] = nullPasses; continue }
                    mask[r] = passesText(UnsafeRawBufferPointer(rebasing: bytes[values.offsets[r]..<values.offsets[r + 1]]))
                }
            }
        case .dictionary(let values, let indices, let valid):
            let passes = (0..<values.count).map { passesText(Array(values.value(at: $0))) }
            for r in 0..<rows where mask[r] {
                if let valid, !valid[r] { mask[r] = nullPasses; continue }
                mask[r] = passes[Int(indices[r])]
            }
        }
    }
}
