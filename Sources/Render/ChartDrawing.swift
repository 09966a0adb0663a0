import Foundation
import HomeBaseCore

/// A chart laid out as plain shapes in a box (origin top-left, y down), so the SVG and PDF renderers
/// draw exactly the same picture and only differ in syntax.
package struct ChartDrawing: Sendable {
    package struct Point: Sendable, Equatable {
        package var x: Double
        package var y: Double
    }

    package struct Color: Sendable, Equatable {
        package var r: UInt8, g: UInt8, b: UInt8
        package init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { (self.r, self.g, self.b) = (r, g, b) }
        /// "#1f77b4".
        package var hex: String {
            let digits = Array("0123456789abcdef")
            return "#" + [r, g, b].map { String(digits[Int($0 >> 4)]) + String(digits[Int($0 & 15)]) }.joined()
        }
    }

    package enum Anchor: Sendable { case start, middle, end }

    package enum Shape: Sendable {
        case polyline([Point], stroke: Color, width: Double, dashed: Bool)
        case polygon([Point], fill: Color)
        case rect(x: Double, y: Double, width: Double, height: Double, fill: Color)
        case circle(center: Point, radius: Double, fill: Color, stroke: Color)
        /// Text with its baseline at `at`; `vertical` reads bottom to top.
        case text(String, at: Point, size: Double, anchor: Anchor, color: Color, bold: Bool, vertical: Bool)
    }

    package let width: Double
    package let height: Double
    package private(set) var shapes: [Shape] = []
    /// Hover text by index into `shapes` (bars, lines, markers): the SVG shows it as `<title>`; the PDF ignores it.
    package private(set) var tooltips: [Int: String] = [:]

    /// A value for hover text: four decimals below 10 (cents of a dollar, rates), one above.
    static func valueText(_ v: Double) -> String { ReportNumberFormat.fixed(v, places: abs(v) < 10 ? 4 : 1) }

    package static let palette: [Color] = [
        Color(0x2b, 0x6c, 0xb0), Color(0xe0, 0x7b, 0x24), Color(0x3a, 0x9a, 0x5b), Color(0x7d, 0x5b, 0xa6),
        Color(0x1a, 0x9a, 0xa0), Color(0x8c, 0x6d, 0x46), Color(0xd0, 0x6f, 0xb0), Color(0x6b, 0x6b, 0x6b)
    ]
    static let ink = Color(0x22, 0x22, 0x22)
    static let grid = Color(0xdd, 0xdd, 0xdd)
    static let muted = Color(0x66, 0x66, 0x66)
    static let alert = Color(0xd6, 0x1f, 0x1f)
    static let bandFills = [Color(0xd6, 0xe4, 0xf5), Color(0xb3, 0xcd, 0xec)]

    /// Lays out `chart` in a `width` × `height` box (points in PDF, user units in SVG).
    package init(_ chart: ReportChart, width: Double, height: Double) {
        self.width = width
        self.height = height
        layout(chart)
    }

    /// Colours of a chart's series (bars, then lines), stable by name: each name starts at the palette slot its
    /// FNV-1a hash picks and moves to the next free slot only when another series of the same chart holds it,
    /// so an agent or model has the same colour in every report (unless two of them meet in one chart).
    static func seriesColors(_ names: [String]) -> [Color] {
        var taken = Set<Int>()
        return names.map { name in
            var hash = FNV1a()
            hash.add(name)
            var slot = Int(hash.value % UInt64(palette.count))
            if taken.count < palette.count { while taken.contains(slot) { slot = (slot + 1) % palette.count } }
            taken.insert(slot)
            return palette[slot]
        }
    }

    private mutating func layout(_ chart: ReportChart) {
        let n = chart.xLabels.count
        let colors = Self.seriesColors(chart.stackedBars.map(\.name) + chart.lines.map(\.name))
        // Legend entries: bars, lines, bands, reference lines, markers (when present).
        var legend: [(String, Color, Bool)] = []
        for (i, s) in chart.stackedBars.enumerated() { legend.append((s.name, colors[i], false)) }
        for (i, s) in chart.lines.enumerated() { legend.append((s.name, colors[i + chart.stackedBars.count], true)) }
        for (i, b) in chart.bands.enumerated() { legend.append((b.name, Self.bandFills[min(i, 1)], false)) }
        for r in chart.referenceLines { legend.append((r.label, Self.alert, true)) }
        if !chart.markers.isEmpty { legend.append(("Marked points", Self.alert, false)) }

        // Legend rows, filled left to right.
        let legendSize = 8.0
        var rows: [[(String, Color, Bool, Double)]] = [[]]
        var rowWidth = 0.0
        for (name, color, isLine) in legend {
            let w = 16 + HelveticaMetrics.width(name, bold: false, size: legendSize) + 12
            if rowWidth + w > width - 8 && !rows[rows.count - 1].isEmpty { rows.append([]); rowWidth = 0 }
            rows[rows.count - 1].append((name, color, isLine, w))
            rowWidth += w
        }
        let legendHeight = legend.isEmpty ? 0 : Double(rows.count) * 12 + 4
        let left = 52.0, right = width - 10, top = 8.0
        let bottom = height - legendHeight - (chart.xAxisLabel.isEmpty ? 20 : 32)
        guard n > 0, right > left + 10, bottom > top + 10 else {
            shapes.append(
                .text("No data", at: Point(x: width / 2, y: height / 2), size: 10, anchor: .middle, color: Self.muted, bold: false, vertical: false))
            return
        }

        // Value range over everything drawn.
        var values: [Double] = [0]
        for i in 0..<n {
            var positive = 0.0, negative = 0.0
            for s in chart.stackedBars { if let v = s.values[i], v.isFinite { if v >= 0 { positive += v } else { negative += v } } }
            values += [positive, negative]
        }
        for s in chart.lines { values += s.values.compactMap { $0 } }
        for b in chart.bands { values += b.lower.compactMap { $0 } + b.upper.compactMap { $0 } }
        values += chart.referenceLines.map(\.value) + chart.markers.map(\.value)
        values = values.filter(\.isFinite)
        let ticks = Self.niceTicks(low: values.min() ?? 0, high: values.max() ?? 1)
        let low = ticks.first ?? 0, high = ticks.last ?? 1
        func y(_ v: Double) -> Double { bottom - (v - low) / (high - low) * (bottom - top) }
        let slot = (right - left) / Double(n)
        func x(_ i: Int) -> Double { left + (Double(i) + 0.5) * slot }

        // Grid and y labels.
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let places = step >= 1 ? 0 : min(6, Int((-log10(step)).rounded(.up)))
        for t in ticks {
            shapes.append(.polyline([Point(x: left, y: y(t)), Point(x: right, y: y(t))], stroke: Self.grid, width: 0.5, dashed: false))
            shapes.append(
                .text(
                    ReportNumberFormat.display(t, places: places), at: Point(x: left - 4, y: y(t) + 3), size: 7.5, anchor: .end, color: Self.muted,
                    bold: false, vertical: false))
        }
        if !chart.yAxisLabel.isEmpty {
            shapes.append(
                .text(
                    chart.yAxisLabel, at: Point(x: 9, y: (top + bottom) / 2), size: 8, anchor: .middle, color: Self.muted, bold: false, vertical: true
                ))
        }

        // Bands, widest first as given.
        for (bi, band) in chart.bands.enumerated() {
            var run: [Int] = []
            func flush() {
                if !run.isEmpty, let lo = run.first, let hi = run.last {
                    var poly = run.compactMap { i in band.upper[i].map { Point(x: x(i), y: y($0)) } }
                    poly += run.reversed().compactMap { i in band.lower[i].map { Point(x: x(i), y: y($0)) } }
                    if lo == hi {
                        poly = [
                            Point(x: x(lo) - slot / 4, y: poly[0].y), Point(x: x(lo) + slot / 4, y: poly[0].y),
                            Point(x: x(lo) + slot / 4, y: poly[1].y), Point(x: x(lo) - slot / 4, y: poly[1].y)
                        ]
                    }
                    shapes.append(.polygon(poly, fill: Self.bandFills[min(bi, 1)]))
                }
                run = []
            }
            for i in 0..<n {
                if let l = band.lower[i], let u = band.upper[i], l.isFinite, u.isFinite { run.append(i) } else { flush() }
            }
            flush()
        }

        // Stacked bars.
        if !chart.stackedBars.isEmpty {
            let barWidth = max(1, slot * 0.7)
            for i in 0..<n {
                var positive = 0.0, negative = 0.0
                for (si, s) in chart.stackedBars.enumerated() {
                    guard let v = s.values[i], v.isFinite, v != 0 else { continue }
                    let base = v > 0 ? positive : negative
                    let end = base + v
                    if v > 0 { positive = end } else { negative = end }
                    let y0 = y(max(base, end)), y1 = y(min(base, end))
                    tooltips[shapes.count] = s.name + ", " + chart.xLabels[i] + ": " + Self.valueText(v)
                    shapes.append(.rect(x: x(i) - barWidth / 2, y: y0, width: barWidth, height: max(0.3, y1 - y0), fill: colors[si]))
                }
            }
        }

        // Lines, broken at gaps; a lone point is a dot.
        for (li, s) in chart.lines.enumerated() {
            let color = colors[li + chart.stackedBars.count]
            var run: [Point] = []
            var values: [String] = []
            func flush() {
                if !run.isEmpty { tooltips[shapes.count] = s.name + ": " + values.joined(separator: ", ") }
                if run.count == 1 { shapes.append(.circle(center: run[0], radius: 1.8, fill: color, stroke: color)) }
                if run.count > 1 { shapes.append(.polyline(run, stroke: color, width: 1.6, dashed: false)) }
                run = []
                values = []
            }
            for i in 0..<n {
                if let v = s.values[i], v.isFinite {
                    run.append(Point(x: x(i), y: y(v)))
                    values.append(chart.xLabels[i] + " " + Self.valueText(v))
                } else {
                    flush()
                }
            }
            flush()
        }

        for r in chart.referenceLines {
            shapes.append(.polyline([Point(x: left, y: y(r.value)), Point(x: right, y: y(r.value))], stroke: Self.alert, width: 1.2, dashed: true))
            shapes.append(
                .text(r.label, at: Point(x: right - 2, y: y(r.value) - 3), size: 7.5, anchor: .end, color: Self.alert, bold: false, vertical: false))
        }
        for m in chart.markers where m.value.isFinite {
            let p = Point(x: x(m.index), y: y(m.value))
            tooltips[shapes.count] = m.label + " (" + chart.xLabels[m.index] + ": " + Self.valueText(m.value) + ")"
            shapes.append(.circle(center: p, radius: 3.5, fill: Color(0xff, 0xff, 0xff), stroke: Self.alert))
            shapes.append(.circle(center: p, radius: 1.8, fill: Self.alert, stroke: Self.alert))
        }

        // Axes and x labels (at most about eight).
        shapes.append(
            .polyline([Point(x: left, y: top), Point(x: left, y: bottom), Point(x: right, y: bottom)], stroke: Self.ink, width: 0.8, dashed: false))
        let stride = max(1, Int((Double(n) / 8).rounded(.up)))
        for i in Swift.stride(from: 0, to: n, by: stride) {
            shapes.append(.polyline([Point(x: x(i), y: bottom), Point(x: x(i), y: bottom + 3)], stroke: Self.ink, width: 0.6, dashed: false))
            shapes.append(
                .text(
                    chart.xLabels[i], at: Point(x: x(i), y: bottom + 12), size: 7.5, anchor: .middle, color: Self.muted, bold: false, vertical: false)
            )
        }
        if !chart.xAxisLabel.isEmpty {
            shapes.append(
                .text(
                    chart.xAxisLabel, at: Point(x: (left + right) / 2, y: bottom + 25), size: 8, anchor: .middle, color: Self.muted, bold: false,
                    vertical: false))
        }

        // Legend.
        var ly = height - legendHeight + 10
        for row in rows {
            var lx = left
            for (name, color, isLine, w) in row {
                if isLine {
                    shapes.append(.polyline([Point(x: lx, y: ly - 3), Point(x: lx + 12, y: ly - 3)], stroke: color, width: 2, dashed: false))
                } else {
                    shapes.append(.rect(x: lx, y: ly - 8, width: 12, height: 8, fill: color))
                }
                shapes.append(
                    .text(name, at: Point(x: lx + 16, y: ly), size: legendSize, anchor: .start, color: Self.ink, bold: false, vertical: false))
                lx += w
            }
            ly += 12
        }
    }

    /// Round tick values covering [low, high]: steps of 1, 2 or 5 × 10^k, about five intervals.
    package static func niceTicks(low: Double, high: Double) -> [Double] {
        var low = low, high = high
        if high - low < 1e-12 { high = low + (low == 0 ? 1 : abs(low) * 0.5) }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
        low = floor(low / step) * step
        high = (high / step).rounded(.up) * step
        var ticks: [Double] = []
        var t = low
        while t <= high + step / 2 && ticks.count < 50 { ticks.append(abs(t) < step / 1e6 ? 0 : t); t += step }
        return ticks
    }
}
