import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import TestSupport

/// The HTML reports of `make run`'s samples (daily, weekly, monthly) in headless Chromium at 1280 px and
/// at 390 px (a phone): no horizontal overflow of the page, no table hidden behind its own scroll bar at
/// 1280 px, every chart as wide as the page at most, with drawn marks and text of at least 7 px (the phone
/// gets a narrower chart layout). Screenshots go to .build/browser/.
@Suite(.serialized) struct RenderBrowserTests {
    struct Probe: Decodable {
        var scrollWidth: Double
        var innerWidth: Double
        /// Per table box: scrollWidth and clientWidth.
        var tables: [[Double]]
        /// Per visible chart: width, number of marks (paths, rects, circles, lines, polygons), and its smallest
        /// text as rendered, in CSS px (font-size × drawn width / viewBox width).
        var charts: [[Double]]
    }

    static let chromium = "/usr/bin/chromium"

    /// Loads `html` in an iframe `width` px wide (headless Chromium's window is at least 500 px) and reads the
    /// measurements back from the DOM it dumps; the report itself is not changed.
    static func probe(_ html: String, width: Int, screenshot: String) throws -> Probe {
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            throw RenderOracle.Missing(tool: "chromium (apt package chromium; `make deps` installs it)")
        }
        let dir = (html as NSString).deletingLastPathComponent, name = (html as NSString).lastPathComponent
        let harness = dir + "/probe-\(width).html"
        let page = """
            <!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="\(name)" style="width:\(width)px;height:1200px;border:0"></iframe>
            <script>
            document.getElementById('f').addEventListener('load', () => {
              const w = document.getElementById('f').contentWindow, d = w.document;
              const marks = 'path,rect,circle,polyline,line,polygon';
              document.body.setAttribute('data-probe', JSON.stringify({
                scrollWidth: d.documentElement.scrollWidth, innerWidth: w.innerWidth,
                tables: [...d.querySelectorAll('.table-wrap')].map(t => [t.scrollWidth, t.clientWidth]),
                charts: [...d.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().width > 0).map(s => [
                  s.getBoundingClientRect().width, s.querySelectorAll(marks).length,
                  Math.min(...[...s.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')))) * s.getBoundingClientRect().width / s.viewBox.baseVal.width])}));
            });
            </script></body></html>
            """
        try page.write(toFile: harness, atomically: true, encoding: .utf8)
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files", "--hide-scrollbars",
            "--window-size=\(max(width, 500) + 20),1200"
        ]
        let dump = PythonOracle.launch(chromium, common + ["--dump-dom", harness], stdin: nil)
        guard let start = dump.1.range(of: "data-probe=\""), let end = dump.1[start.upperBound...].firstIndex(of: "\"") else {
            throw RenderError("chromium gave no measurements for \(html) at \(width) px: \(dump.2.suffix(400))")
        }
        let json = dump.1[start.upperBound..<end].replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        _ = PythonOracle.launch(chromium, common + ["--screenshot=" + screenshot, harness], stdin: nil)
        return try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
    }

    @Test func reportsFitDesktopAndPhoneWidthsAndDrawTheirCharts() throws {
        let dir = TemporaryDirectory("render-browser")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        #expect(run.code == .warnings || run.code == .success, "\(run.text)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: run.out).filter {
            FileManager.default.fileExists(atPath: run.out + "/" + $0 + "/report.html")
        }.sorted()
        #expect(reports.map { $0.split(separator: "-").first.map(String.init) ?? "" } == ["daily", "monthly", "weekly"], "\(reports)")
        let shots = PythonOracle.repositoryRoot.path + "/.build/browser"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        for report in reports {
            for width in [1280, 390] {
                let probe = try Self.probe(run.out + "/" + report + "/report.html", width: width, screenshot: shots + "/\(report)-\(width).png")
                #expect(probe.innerWidth == Double(width), "\(report) at \(width): the frame is \(probe.innerWidth) px")
                #expect(probe.scrollWidth <= probe.innerWidth, "\(report) at \(width): the page scrolls sideways (\(probe.scrollWidth) px)")
                #expect(!probe.charts.isEmpty, "\(report) has no chart")
                for chart in probe.charts {
                    #expect(chart[0] <= probe.innerWidth && chart[0] > 0, "\(report) at \(width): a chart is \(chart[0]) px wide")
                    #expect(chart[1] > 0, "\(report) at \(width): a chart has no marks")
                    #expect(chart[2] >= 7, "\(report) at \(width): chart text is \(chart[2]) px, too small to read")
                }
                if width == 1280 {
                    for table in probe.tables {
                        #expect(table[0] <= table[1] + 1, "\(report) at 1280: a table scrolls (\(table[0]) px in \(table[1]) px)")
                    }
                }
            }
        }
    }
}
