import HomeBaseCore
import SQLiteStore
/// The SQL functions `homebase query` adds to SQLite, each with the DuckDB spelling that gives the
/// same result (`homebase query --duckdb-macros` prints these as DuckDB macros).
package enum QueryFunctions {
    /// DuckDB macros that give our function names the same meaning in DuckDB over the same files.
    package static let duckDBMacros = """
        CREATE OR REPLACE MACRO percentile(x, p) AS quantile_cont(x, p / 100.0);
        CREATE OR REPLACE MACRO local_date(ts, tz) AS CAST(timezone(tz, CAST(ts AS TIMESTAMPTZ)) AS DATE);
        CREATE OR REPLACE MACRO local_hour(ts, tz) AS hour(timezone(tz, CAST(ts AS TIMESTAMPTZ)));
        CREATE OR REPLACE MACRO local_week(ts, tz) AS CAST(date_trunc('week', timezone(tz, CAST(ts AS TIMESTAMPTZ))) AS DATE);
        CREATE OR REPLACE MACRO local_month(ts, tz) AS strftime(timezone(tz, CAST(ts AS TIMESTAMPTZ)), '%Y-%m');
        -- median(x) and stddev(x) are DuckDB built-ins with the same definitions.
        """

    static func register(on database: SQLiteDatabase) throws {
        try database.registerAggregate("percentile", arity: 2) { PercentileAggregate(name: "percentile", fixed: nil) }
        try database.registerAggregate("median", arity: 1) { PercentileAggregate(name: "median", fixed: 50) }
        try database.registerAggregate("stddev", arity: 1) { StddevAggregate() }
        let zones = LocalTime()
        try database.registerScalar("local_date", arity: 2) { try zones.apply($0, "local_date") { .text(UTCDate.dateString(days: $0.days)) } }
        try database.registerScalar("local_hour", arity: 2) { try zones.apply($0, "local_hour") { .int($0.hour) } }
        try database.registerScalar("local_week", arity: 2) {
            try zones.apply($0, "local_week") { .text(UTCDate.dateString(days: $0.days - ($0.days + 3).modulo(7))) }
        }
        try database.registerScalar("local_month", arity: 2) {
            try zones.apply($0, "local_month") { .text(String(UTCDate.dateString(days: $0.days).prefix(7))) }
        }
    }

    /// A number from an SQL value: integers and reals as they are, numeric text parsed, NULL → nil.
    static func number(_ value: SQLiteValue, _ function: String) throws -> Double? {
        switch value {
        case .null: return nil
        case .int(let v): return Double(v)
        case .double(let v): return v
        case .text(let t):
            guard let v = Double(t) else { throw SQLiteFunctionError("\(function): '\(t)' is not a number") }
            return v
        case .blob: throw SQLiteFunctionError("\(function): a blob is not a number")
        }
    }
}

extension Int64 {
    /// The remainder with the sign of the divisor (days before 1970 still give Monday-based weeks).
    func modulo(_ n: Int64) -> Int64 { ((self % n) + n) % n }
}

/// `percentile(x, p)`: exact, linear interpolation between order statistics (numpy's default,
/// DuckDB's `quantile_cont(x, p/100)`); NULLs skipped; no values → NULL. `median(x)` is p = 50.
final class PercentileAggregate: SQLiteAggregate {
    private let name: String
    private var p: Double?
    private var values: [Double] = []

    init(name: String, fixed: Double?) {
        self.name = name
        p = fixed
    }

    func step(_ arguments: [SQLiteValue]) throws {
        guard let x = try QueryFunctions.number(arguments[0], name) else { return }
        if p == nil {
            guard arguments.count > 1, let given = try QueryFunctions.number(arguments[1], name), (0...100).contains(given) else {
                throw SQLiteFunctionError("\(name): p must be a number from 0 to 100")
            }
            p = given
        }
        values.append(x)
    }

    func result() throws -> SQLiteValue {
        guard let p, !values.isEmpty else { return .null }
        return .double(PercentileAggregate.interpolate(values.sorted(), p: p))
    }

    /// h = (n − 1)·p/100; the value at ⌊h⌋ plus the fraction of the step to the next one.
    static func interpolate(_ sorted: [Double], p: Double) -> Double {
        let h = Double(sorted.count - 1) * p / 100
        let lo = Int(h.rounded(.down))
        guard lo + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[lo] + (h - Double(lo)) * (sorted[lo + 1] - sorted[lo])
    }
}

/// `stddev(x)`: the sample standard deviation (n − 1), as DuckDB's `stddev`/`stddev_samp`;
/// fewer than two values → NULL. Welford's update keeps it accurate in one pass.
final class StddevAggregate: SQLiteAggregate {
    private var count = 0.0
    private var mean = 0.0
    private var m2 = 0.0

    func step(_ arguments: [SQLiteValue]) throws {
        guard let x = try QueryFunctions.number(arguments[0], "stddev") else { return }
        count += 1
        let delta = x - mean
        mean += delta / count
        m2 += delta * (x - mean)
    }

    func result() throws -> SQLiteValue {
        count < 2 ? .null : .double((m2 / (count - 1)).squareRoot())
    }
}
