import HomeBaseCore
/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (UTC), without Foundation,
/// so dates in file names and lines are exact and fast.
enum CivilDate {
    /// (year, month, day) for a day number.
    static func fromDays(_ days: Int64) -> (Int, Int, Int) {
        let (y, m, d) = UTCDate.civil(days: days)
        return (Int(y), Int(m), Int(d))
    }

    /// Day number for (year, month, day).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        UTCDate.days(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    /// Parses `YYYY-MM-DD` strictly; nil when malformed or not a real date.
    static func parse(_ text: String) -> Int64? { UTCDate.parseDate(text) }

    /// 0 = Monday … 6 = Sunday.
    static func weekday(_ days: Int64) -> Int {
        Int((days + 3).floorDivided(by: 7).1)  // 1970-01-01 was a Thursday
    }
}
