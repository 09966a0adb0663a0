/// A chart over a shared x axis of labelled points (usually days), with the table that carries its numbers.
/// Layers draw in this order: interval bands, stacked bars, lines, reference lines, marked points.
package struct ReportChart: Sendable, Equatable {
    package var title: String
    /// One label per x position ("2026-05-11"); every series has one value per label.
    package var xLabels: [String]
    package var xAxisLabel: String
    package var yAxisLabel: String
    /// Bars stacked per x position, one series per category (e.g. spend by model).
    package var stackedBars: [ChartSeries]
    package var lines: [ChartSeries]
    /// Shaded intervals such as a forecast's 95% and 80% bands (draw the wider first).
    package var bands: [ChartBand]
    /// Horizontal lines such as a budget.
    package var referenceLines: [ChartReferenceLine]
    /// Points called out on the chart, such as anomalies.
    package var markers: [ChartMarker]
    /// The numbers behind the chart, shown beside or below it and exported with the tables.
    package var table: ReportTable

    package init(
        title: String, xLabels: [String], xAxisLabel: String = "", yAxisLabel: String = "",
        stackedBars: [ChartSeries] = [], lines: [ChartSeries] = [], bands: [ChartBand] = [],
        referenceLines: [ChartReferenceLine] = [], markers: [ChartMarker] = [], table: ReportTable
    ) {
        self.title = title
        self.xLabels = xLabels
        self.xAxisLabel = xAxisLabel
        self.yAxisLabel = yAxisLabel
        self.stackedBars = stackedBars
        self.lines = lines
        self.bands = bands
        self.referenceLines = referenceLines
        self.markers = markers
        self.table = table
    }

    /// Checks every series is as long as the x axis and markers point inside it.
    package func validate() throws(RenderError) {
        let count = xLabels.count
        for series in stackedBars + lines where series.values.count != count {
            throw RenderError("chart '\(title)': series '\(series.name)' has \(series.values.count) values for \(count) x labels")
        }
        for band in bands where band.lower.count != count || band.upper.count != count {
            throw RenderError("chart '\(title)': band '\(band.name)' must have \(count) lower and upper values")
        }
        for marker in markers where !(0..<count).contains(marker.index) {
            throw RenderError("chart '\(title)': marker '\(marker.label)' at x index \(marker.index) is outside 0..<\(count)")
        }
        try table.validate()
    }
}

/// A named series of values, nil where there is no value (a gap in a line, no bar).
package struct ChartSeries: Sendable, Equatable {
    package var name: String
    package var values: [Double?]

    package init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// A shaded interval between `lower` and `upper`, nil where it does not apply (e.g. before the forecast).
package struct ChartBand: Sendable, Equatable {
    package var name: String
    package var lower: [Double?]
    package var upper: [Double?]

    package init(name: String, lower: [Double?], upper: [Double?]) {
        self.name = name
        self.lower = lower
        self.upper = upper
    }
}

/// A horizontal line at `value` with its label ("Budget $1,000").
package struct ChartReferenceLine: Sendable, Equatable {
    package var label: String
    package var value: Double

    package init(label: String, value: Double) {
        self.label = label
        self.value = value
    }
}

/// A point called out on the chart, e.g. an anomaly at x index 12 with value 41.3.
package struct ChartMarker: Sendable, Equatable {
    package var index: Int
    package var value: Double
    package var label: String

    package init(index: Int, value: Double, label: String) {
        self.index = index
        self.value = value
        self.label = label
    }
}
