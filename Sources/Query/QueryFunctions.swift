import HomeBaseCore
import SQLiteStore
/// The SQL functions `homebase query` adds to SQLite, and the macros that give them the same
/// meaning in DuckDB and Spark SQL over the same files (`homebase query --print-macros ENGINE`), so
/// the shipped queries run unchanged on all three.
package enum QueryFunctions {
    /// The engines `--print-macros` knows.
    package static let engines = ["duckdb", "spark"]

    /// The macro text for `engine` (one of `engines`), or nil.
    package static func macros(for engine: String) -> String? {
        switch engine {
        case "duckdb": return duckDBMacros
        case "spark": return sparkMacros
        default: return nil
        }
    }

    /// DuckDB macros that give our function names the same meaning in DuckDB over the same files.
    package static let duckDBMacros = """
        -- Home Base functions for DuckDB (homebase query --print-macros duckdb). Run with SET TimeZone='UTC'
        -- or any other zone: the results do not depend on it.
        CREATE OR REPLACE MACRO percentile(x, p) AS quantile_cont(x, CASE WHEN p > 1 THEN p / 100.0 ELSE p END);
        CREATE OR REPLACE MACRO local_date(ts, tz) AS CAST(timezone(tz, CAST(ts AS TIMESTAMPTZ)) AS DATE);
        CREATE OR REPLACE MACRO local_hour(ts, tz) AS hour(timezone(tz, CAST(ts AS TIMESTAMPTZ)));
        CREATE OR REPLACE MACRO local_week(ts, tz) AS CAST(date_trunc('week', timezone(tz, CAST(ts AS TIMESTAMPTZ))) AS DATE);
        CREATE OR REPLACE MACRO local_month(ts, tz) AS strftime(timezone(tz, CAST(ts AS TIMESTAMPTZ)), '%Y-%m');
        -- median(x) and stddev(x) are DuckDB built-ins with the same definitions.
        """

    /// Spark SQL (4.x) temporary functions with the same meaning, whatever the session time zone:
    /// the instant is turned into UTC wall-clock time by adding its epoch microseconds to the NTZ
    /// epoch (no session zone involved), then `convert_timezone` moves it to `tz`.
    /// `percentile(x, p)`, `median(x)` and `stddev(x)` are Spark built-ins (p from 0 to 1 only).
    package static let sparkMacros = """
        -- Home Base functions for Spark SQL 4.x (homebase query --print-macros spark); run each statement
        -- with spark.sql(). They do not depend on spark.sql.session.timeZone.
        CREATE OR REPLACE TEMPORARY FUNCTION hb_local_time(ts TIMESTAMP, tz STRING) RETURNS TIMESTAMP_NTZ
          RETURN convert_timezone('UTC', tz, timestampadd(MICROSECOND, unix_micros(ts), TIMESTAMP_NTZ'1970-01-01 00:00:00'));
        CREATE OR REPLACE TEMPORARY FUNCTION local_date(ts TIMESTAMP, tz STRING) RETURNS STRING
          RETURN date_format(hb_local_time(ts, tz), 'yyyy-MM-dd');
        CREATE OR REPLACE TEMPORARY FUNCTION local_hour(ts TIMESTAMP, tz STRING) RETURNS INT
          RETURN hour(hb_local_time(ts, tz));
        CREATE OR REPLACE TEMPORARY FUNCTION local_week(ts TIMESTAMP, tz STRING) RETURNS STRING
          RETURN date_format(date_sub(CAST(hb_local_time(ts, tz) AS DATE), weekday(CAST(hb_local_time(ts, tz) AS DATE))), 'yyyy-MM-dd');
        CREATE OR REPLACE TEMPORARY FUNCTION local_month(ts TIMESTAMP, tz STRING) RETURNS STRING
          RETURN date_format(hb_local_time(ts, tz), 'yyyy-MM');
        -- percentile(x, p) with p from 0 to 1, median(x) and stddev(x) are Spark built-ins with the same definitions.
        """

    static func register(on database: SQLiteDatabase) throws {
        try database.registerAggregate("percentile", arity: 2) { PercentileAggregate(name: "percentile", fixed: nil) }
        try database.registerAggregate("median", arity: 1) { PercentileAggregate(name: "median", fixed: 0.5) }
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
/// DuckDB's `quantile_cont`, Spark's `percentile`); NULLs skipped; no values → NULL. p from 0 to 1
/// is a fraction, as in Spark and DuckDB; p above 1 up to 100 is the older percent form (deprecated:
/// Spark refuses it). `median(x)` is p = 0.5.
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
                throw SQLiteFunctionError("\(name): p must be a fraction from 0 to 1 (0.95 for the 95th percentile)")
            }
            p = given > 1 ? given / 100 : given
        }
        values.append(x)
    }

    func result() throws -> SQLiteValue {
        guard let p, !values.isEmpty else { return .null }
        RadixSort.sort(&values)  // the array `sorted()` gives
        return .double(PercentileAggregate.interpolate(values, p: p))
    }

    /// h = (n − 1)·p; the value at ⌊h⌋ plus the fraction of the step to the next one.
    static func interpolate(_ sorted: [Double], p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
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
