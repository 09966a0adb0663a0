import SQLiteStore

/// Arithmetic over a group's aggregates in a fast-path SELECT item (`sum(cost_usd) / count(*)`,
/// `CAST(sum(a) AS DOUBLE) / nullif(sum(b) + sum(c), 0)`), evaluated as SQLite 3.40's VDBE does:
/// integers stay integers unless an operation overflows, integer division truncates and by zero
/// is NULL, a real division by zero or a NaN result is NULL, NULL in gives NULL out.
indirect enum AggregateExpression: Equatable {
    /// An aggregate (numeric: the plan checks), `count(*)` with column nil.
    case aggregate(FastAggregatePlan.Aggregate, column: Int?)
    case integer(Int64)
    case real(Double)
    /// `+`, `-`, `*` or `/`.
    case arithmetic(Character, AggregateExpression, AggregateExpression)
    /// `CAST(x AS DOUBLE|REAL|FLOAT)`.
    case castReal(AggregateExpression)
    /// `nullif(a, b)`.
    case nullIf(AggregateExpression, AggregateExpression)

    /// The aggregates in evaluation order (left to right): the scan keeps one accumulator each.
    var aggregates: [(FastAggregatePlan.Aggregate, Int?)] {
        switch self {
        case .aggregate(let a, let c): return [(a, c)]
        case .integer, .real: return []
        case .arithmetic(_, let x, let y), .nullIf(let x, let y): return x.aggregates + y.aggregates
        case .castReal(let x): return x.aggregates
        }
    }

    /// The same expression with each aggregate's column replaced by `resolve` (nil: not a column).
    func resolved(_ resolve: (Int) -> Int?) -> AggregateExpression? {
        switch self {
        case .aggregate(let a, nil): return .aggregate(a, column: nil)
        case .aggregate(let a, let c?): return resolve(c).map { .aggregate(a, column: $0) }
        case .integer, .real: return self
        case .arithmetic(let op, let x, let y):
            guard let x = x.resolved(resolve), let y = y.resolved(resolve) else { return nil }
            return .arithmetic(op, x, y)
        case .castReal(let x): return x.resolved(resolve).map { .castReal($0) }
        case .nullIf(let x, let y):
            guard let x = x.resolved(resolve), let y = y.resolved(resolve) else { return nil }
            return .nullIf(x, y)
        }
    }

    /// The value, taking each aggregate's value from `next()` in `aggregates` order.
    func evaluate(_ next: () throws -> SQLiteValue) rethrows -> SQLiteValue {
        switch self {
        case .aggregate: return try next()
        case .integer(let v): return .int(v)
        case .real(let v): return .double(v)
        case .castReal(let x):
            switch try x.evaluate(next) {
            case .int(let v): return .double(Double(v))
            case let other: return other
            }
        case .nullIf(let x, let y):
            let (a, b) = (try x.evaluate(next), try y.evaluate(next))
            if case .null = a { return .null }
            if case .null = b { return a }
            return FastAggregateScan.compare(a, b) == 0 ? .null : a
        case .arithmetic(let op, let x, let y):
            return Self.apply(op, try x.evaluate(next), try y.evaluate(next))
        }
    }

    static func apply(_ op: Character, _ a: SQLiteValue, _ b: SQLiteValue) -> SQLiteValue {
        func real(_ v: SQLiteValue) -> Double? {
            switch v {
            case .int(let i): return Double(i)
            case .double(let d): return d
            default: return nil
            }
        }
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case "+": let (r, o) = x.addingReportingOverflow(y); if !o { return .int(r) }
            case "-": let (r, o) = x.subtractingReportingOverflow(y); if !o { return .int(r) }
            case "*": let (r, o) = x.multipliedReportingOverflow(by: y); if !o { return .int(r) }
            default:
                if y == 0 { return .null }
                if !(y == -1 && x == .min) { return .int(x / y) }
            }
        }
        guard let x = real(a), let y = real(b) else { return .null }
        let r: Double
        switch op {
        case "+": r = x + y
        case "-": r = x - y
        case "*": r = x * y
        default:
            if y == 0 { return .null }
            r = x / y
        }
        return r.isNaN ? .null : .double(r)
    }
}
