import HomeBaseCore
/// A table with typed cells: writers keep numbers numeric and dates as dates.
package struct ReportTable: Sendable, Equatable {
    package var title: String
    package var columns: [ReportColumn]
    package var rows: [[ReportCell]]

    package init(title: String, columns: [ReportColumn], rows: [[ReportCell]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// Checks that every row has one cell per column; writers call it before writing anything.
    package func validate() throws(RenderError) {
        for (index, row) in rows.enumerated() where row.count != columns.count {
            throw RenderError("table '\(title)': row \(index + 1) has \(row.count) cells for \(columns.count) columns")
        }
    }
}

/// A column header and how its cells line up.
package struct ReportColumn: Sendable, Equatable {
    package enum Alignment: Sendable, Equatable { case left, right, center }

    package var header: String
    package var alignment: Alignment

    package init(_ header: String, alignment: Alignment = .left) {
        self.header = header
        self.alignment = alignment
    }
}

/// One typed value. Money and decimals carry their display precision; percent is a fraction (0.25 = 25%).
package enum ReportCell: Sendable, Equatable {
    case empty
    case text(String)
    case integer(Int64)
    case decimal(Double, places: Int)
    case money(Double, currency: String)
    case percent(Double, places: Int)
    /// A calendar day, as days since 1970-01-01.
    case date(Int64)
    /// An instant, as epoch microseconds UTC (shown in the document's zone by the writers that show zones).
    case timestamp(Int64)

    /// The text people read (HTML, PDF, e-mail): thousands separators, currency, percent sign.
    package var displayText: String { displayText(zone: .utc) }

    /// `displayText` with timestamps shown in `zone`.
    package func displayText(zone: ReportZone) -> String {
        switch self {
        case .empty: return ""
        case let .text(text): return text
        case let .integer(value): return ReportNumberFormat.grouped(String(value))
        case let .decimal(value, places): return ReportNumberFormat.display(value, places: places)
        case let .money(value, currency):
            // Cents from $1 up; below that up to 4 places, so $0.0039 a call does not read as $0.00.
            let places = abs(value) < 0.995 && abs(value) >= 0.00005 ? 4 : 2
            let digits = ReportNumberFormat.display(abs(value), places: places)
            let sign = value < 0 && digits.contains(where: { $0 >= "1" && $0 <= "9" }) ? "-" : ""
            return currency == "USD" ? sign + "$" + digits : sign + digits + " " + currency
        case let .percent(value, places): return ReportNumberFormat.display(value * 100, places: places) + "%"
        case let .date(days): return UTCDate.dateString(days: days)
        case let .timestamp(micros):
            let iso = UTCDate.isoString(micros: zone.localMicros(micros))
            let offset = zone.offsetText(micros: micros)
            return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ") + " " + (offset == "Z" ? "UTC" : offset)
        }
    }

    /// The plain machine value for CSV: no grouping, no currency sign, ISO dates; nil for text and empty.
    package func machineText(zone: ReportZone = .utc) -> String? {
        switch self {
        case .empty, .text: return nil
        case let .integer(value): return String(value)
        case let .decimal(value, places): return ReportNumberFormat.fixed(value, places: places)
        // Money keeps micro-dollars (never rounded to the cent before someone sums a column).
        case let .money(value, _): return ReportNumberFormat.trimmed(ReportNumberFormat.fixed(value, places: 6), minPlaces: 2)
        case let .percent(value, places): return ReportNumberFormat.fixed(value, places: places + 2)
        case let .date(days): return UTCDate.dateString(days: days)
        case let .timestamp(micros):
            let iso = UTCDate.isoString(micros: zone.localMicros(micros))
            return String(iso.prefix(19)) + zone.offsetText(micros: micros)
        }
    }

    /// Whether the cell holds a number (right-aligned by default, never neutralised as a formula).
    package var isNumeric: Bool {
        switch self {
        case .integer, .decimal, .money, .percent: return true
        default: return false
        }
    }
}
