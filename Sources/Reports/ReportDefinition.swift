import Foundation
import HomeBaseCore
import SQLiteStore
import Config
import Render

/// A report definition from `reports/NAME.json`: which sections in which order, the period, the
/// formats, the e-mail, and user SQL queries shown as tables or charts. Users add reports by adding
/// a file; unknown keys and names are errors (a typo never silently drops a section).
package struct ReportDefinition: Sendable, Equatable {
    package typealias Period = ReportCadence

    /// The parts of `analysis.json` a section can show, by name.
    package static let analysisBlocks = [
        "headline", "spend_by_model", "spend_by_agent", "forecast", "budget", "latency", "errors", "retries",
        "anomalies", "reconciliation", "recommendations", "credentials", "data_quality", "budget_burndown", "agent_drilldown", "next_month", "health",
        "key_usage", "credential_audit"
    ]

    package enum Block: Sendable, Equatable {
        /// A named part of the analysis (see `analysisBlocks`).
        case analysis(String)
        /// A SQL file whose result becomes a table, and a chart when `chart` is set.
        case query(QueryBlock)
    }

    package struct Section: Sendable, Equatable {
        package var title: String
        package var blocks: [Block]
        /// Leave the section out when its blocks have no data (e.g. reconciliation without invoices).
        package var omitWhenEmpty: Bool
    }

    package struct Mail: Sendable, Equatable {
        /// May hold `{title}` and `{period}`.
        package var subject: String
        package var from: String
        package var to: [String]
    }

    package var name: String
    package var title: String
    package var period: Period
    package var formats: [ReportFormat]
    package var pageSize: PDFWriter.PageSize
    package var sections: [Section]
    package var mail: Mail?

    /// A definition by file path, or by name in `reports/` (a user's file in one of the roots of
    /// `files`, else the built-in one); with no name, the one for the period. Returns where it was
    /// read from too (a path, or `built-in:reports/NAME.json`). Errors name every place looked at.
    package static func named(_ given: String?, period: Period, files: ShippedFiles) throws(RenderError) -> (ReportDefinition, String) {
        let name = given ?? (period == .monthly ? "monthly-finance" : period.rawValue)
        if name.hasSuffix(".json") || name.contains("/") {
            guard FileManager.default.fileExists(atPath: name) else {
                throw RenderError("no report definition at \(name) (give a name in reports/ or an existing .json file)")
            }
            return (try load(path: name), name)
        }
        guard let file = files.file("reports/" + name + ".json") else {
            let known = files.names(in: "reports", suffix: ".json").map { String($0.dropLast(5)) }
            throw RenderError("no report definition '\(name)' in \(files.describe("reports")) (known: \(known.joined(separator: ", ")))")
        }
        return (try load(text: file.text, origin: file.origin, name: name), file.origin)
    }

    /// Reads and checks one definition; errors name the file and the key.
    package static func load(path: String) throws(RenderError) -> ReportDefinition {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RenderError("\(path): cannot read the report definition")
        }
        return try load(text: text, origin: path, name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
    }

    /// Checks one definition's text; `origin` (a path or `built-in:…`) names it in errors.
    package static func load(text: String, origin: String, name: String) throws(RenderError) -> ReportDefinition {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw RenderError("\(origin): not valid JSON (\(error))") }
        do { return try parse(json, name: name) } catch { throw RenderError("\(origin): \(error.message)") }
    }

    /// All `*.json` definitions in `directory`, sorted by name.
    package static func loadAll(directory: String) throws(RenderError) -> [ReportDefinition] {
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw RenderError("\(directory): cannot list report definitions (\(error.localizedDescription))")
        }
        var definitions: [ReportDefinition] = []
        for file in files.sorted() where file.hasSuffix(".json") {
            definitions.append(try load(path: (directory as NSString).appendingPathComponent(file)))
        }
        return definitions
    }

    static func parse(_ json: JSONValue, name: String) throws(RenderError) -> ReportDefinition {
        let top = try Keys(json, "report", allowed: ["title", "period", "formats", "page_size", "sections", "email"])
        let periodName = try top.string("period") ?? "weekly"
        guard let period = Period(rawValue: periodName) else { throw RenderError("period '\(periodName)' is not one of daily, weekly, monthly") }
        let formats = try ReportFormat.parseList((try top.strings("formats") ?? ReportFormat.allCases.map(\.rawValue)).joined(separator: ","))
        let sizeName = try top.string("page_size") ?? "a4"
        guard let pageSize = PDFWriter.PageSize(rawValue: sizeName) else { throw RenderError("page_size '\(sizeName)' is not a4 or letter") }
        guard case let .array(items)? = top.value("sections"), !items.isEmpty else { throw RenderError("'sections' must be a non-empty array") }
        var sections: [Section] = []
        for (index, item) in items.enumerated() {
            let where_ = "sections[\(index)]"
            let keys = try Keys(item, where_, allowed: ["title", "show", "query", "omit_when_empty"])
            guard let title = try keys.string("title"), !title.isEmpty else { throw RenderError("\(where_): needs a 'title'") }
            var blocks: [Block] = []
            for block in try keys.strings("show") ?? [] {
                guard analysisBlocks.contains(block) else {
                    throw RenderError("\(where_): unknown block '\(block)' (known: \(analysisBlocks.joined(separator: ", ")))")
                }
                blocks.append(.analysis(block))
            }
            if let query = keys.value("query") { blocks.append(.query(try QueryBlock.parse(query, where: where_ + ".query"))) }
            guard !blocks.isEmpty else { throw RenderError("\(where_): needs 'show' (analysis blocks) or 'query'") }
            sections.append(Section(title: title, blocks: blocks, omitWhenEmpty: try keys.bool("omit_when_empty") ?? false))
        }
        var mail: Mail?
        if let email = top.value("email") {
            let keys = try Keys(email, "email", allowed: ["subject", "from", "to"])
            guard let from = try keys.string("from"), let to = try keys.strings("to"), !to.isEmpty else {
                throw RenderError("email: needs 'from' and a non-empty 'to' list")
            }
            mail = Mail(subject: try keys.string("subject") ?? "{title}: {period}", from: from, to: to)
        }
        return ReportDefinition(
            name: name, title: try top.string("title") ?? name, period: period, formats: formats,
            pageSize: pageSize, sections: sections, mail: mail)
    }
}

/// A user SQL query shown in a report: the file, how its columns are typed, and an optional chart.
package struct QueryBlock: Sendable, Equatable {
    package enum ColumnType: String, Sendable, CaseIterable { case text, integer, decimal, money, percent, date }
    package enum ChartKind: String, Sendable { case line, bars }

    package var file: String
    package var title: String
    /// Column name → type; columns not named are text.
    package var types: [String: ColumnType]
    package var chart: ChartKind?
    /// The x column (labels) and the y columns (one series each) of the chart.
    package var x: String?
    package var y: [String]
    /// Values bound to the query's `:name` parameters (text as written; numbers as numbers), over
    /// the report's `:from`, `:to`, `:tz`, `:agent` and the query header's defaults.
    package var parameters: [String: String] = [:]

    /// Identifies the block's result: the file, plus its parameters when it has any (one file may
    /// appear twice with different parameters).
    package var key: String {
        parameters.isEmpty ? file : file + "?" + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    static func parse(_ json: JSONValue, where: String) throws(RenderError) -> QueryBlock {
        let keys = try Keys(json, `where`, allowed: ["file", "title", "types", "chart", "x", "y", "params"])
        guard let file = try keys.string("file"), file.hasSuffix(".sql") else { throw RenderError("\(`where`): 'file' must name a .sql file") }
        var types: [String: ColumnType] = [:]
        if case let .object(members)? = keys.value("types") {
            for (column, value) in members {
                guard let name = value.stringValue, let type = ColumnType(rawValue: name) else {
                    throw RenderError("\(`where`).types.\(column): must be one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                types[column] = type
            }
        }
        var chart: ChartKind?
        if let kind = try keys.string("chart") {
            guard let parsed = ChartKind(rawValue: kind) else { throw RenderError("\(`where`).chart: must be line or bars") }
            chart = parsed
        }
        let x = try keys.string("x"), y = try keys.strings("y") ?? []
        if chart != nil && (x == nil || y.isEmpty) { throw RenderError("\(`where`): a chart needs 'x' and 'y' columns") }
        var parameters: [String: String] = [:]
        if let given = keys.value("params") {
            guard case let .object(members) = given else { throw RenderError("\(`where`).params: must be an object of name: value") }
            for (name, value) in members {
                switch value {
                case let .string(text): parameters[name.trimmingPrefix(":").description] = text
                case let .number(text): parameters[name.trimmingPrefix(":").description] = text
                default: throw RenderError("\(`where`).params.\(name): must be a string or a number")
                }
            }
        }
        let title = try keys.string("title") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return QueryBlock(file: file, title: title, types: types, chart: chart, x: x, y: y, parameters: parameters)
    }

    /// The query's result as a typed table; `rows` hold the SQL values as text (nil for NULL).
    package func table(columns: [String], rows: [[String?]]) throws(RenderError) -> ReportTable {
        let kinds = columns.map { types[$0] ?? .text }
        var cells: [[ReportCell]] = []
        for (r, row) in rows.enumerated() {
            guard row.count == columns.count else { throw RenderError("\(file): row \(r + 1) has \(row.count) values for \(columns.count) columns") }
            var out: [ReportCell] = []
            for (c, value) in row.enumerated() {
                guard let value else { out.append(.empty); continue }
                let bad = RenderError("\(file): row \(r + 1), column '\(columns[c])': '\(value)' is not a \(kinds[c].rawValue)")
                switch kinds[c] {
                case .text: out.append(.text(value))
                case .integer: guard let v = Int64(value) else { throw bad }; out.append(.integer(v))
                case .decimal: guard let v = Double(value) else { throw bad }; out.append(.decimal(v, places: 2))
                case .money: guard let v = Double(value) else { throw bad }; out.append(.money(v, currency: "USD"))
                case .percent: guard let v = Double(value) else { throw bad }; out.append(.percent(v, places: 1))
                case .date: guard let v = UTCDate.parseDate(String(value.prefix(10))) else { throw bad }; out.append(.date(v))
                }
            }
            cells.append(out)
        }
        let numeric: Set<ColumnType> = [.integer, .decimal, .money, .percent]
        return ReportTable(
            title: title, columns: zip(columns, kinds).map { ReportColumn($0, alignment: numeric.contains($1) ? .right : .left) }, rows: cells)
    }

    /// The chart of a typed table (nil when the block has none): x labels from `x`, one series per `y`.
    package func chart(for table: ReportTable) throws(RenderError) -> ReportChart? {
        guard let chart, let x else { return nil }
        let names = table.columns.map(\.header)
        guard let xi = names.firstIndex(of: x) else { throw RenderError("\(file): chart x column '\(x)' is not in the result") }
        var series: [ChartSeries] = []
        for column in y {
            guard let yi = names.firstIndex(of: column) else { throw RenderError("\(file): chart y column '\(column)' is not in the result") }
            series.append(ChartSeries(name: column, values: table.rows.map { Self.number($0[yi]) }))
        }
        let labels = table.rows.map { $0[xi].displayText }
        return chart == .line
            ? ReportChart(title: title, xLabels: labels, lines: series, table: table)
            : ReportChart(title: title, xLabels: labels, stackedBars: series, table: table)
    }

    private static func number(_ cell: ReportCell) -> Double? {
        switch cell {
        case let .integer(v): return Double(v)
        case let .decimal(v, _), let .money(v, _), let .percent(v, _): return v
        default: return nil
        }
    }
}

/// An object's members with the allowed keys checked, and typed getters that say which key was wrong.
private struct Keys {
    let members: [(key: String, value: JSONValue)]
    let context: String

    init(_ json: JSONValue, _ context: String, allowed: Set<String>) throws(RenderError) {
        guard case let .object(members) = json else { throw RenderError("\(context): must be a JSON object") }
        for member in members where !allowed.contains(member.key) {
            throw RenderError("\(context): unknown key '\(member.key)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        self.members = members
        self.context = context
    }

    func value(_ key: String) -> JSONValue? { members.last(where: { $0.key == key })?.value }

    func string(_ key: String) throws(RenderError) -> String? {
        guard let value = value(key) else { return nil }
        guard let s = value.stringValue else { throw RenderError("\(context).\(key): must be a string") }
        return s
    }

    /// A string or an array of strings.
    func strings(_ key: String) throws(RenderError) -> [String]? {
        guard let value = value(key) else { return nil }
        if let s = value.stringValue { return [s] }
        guard case let .array(items) = value else { throw RenderError("\(context).\(key): must be a string or an array of strings") }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw RenderError("\(context).\(key): must hold strings only") }
            out.append(s)
        }
        return out
    }

    func bool(_ key: String) throws(RenderError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case let .bool(b) = value else { throw RenderError("\(context).\(key): must be true or false") }
        return b
    }
}
