import HomeBaseCore
/// A chart as inline SVG (no namespace URL needed inside HTML5, no scripts, no external references).
package enum SVGChart {
    package static let width = 720.0
    package static let height = 300.0

    /// The phone layout: half as wide, so its labels stay readable when scaled to a 390 px screen.
    package static let narrowWidth = 360.0
    package static let narrowHeight = 240.0

    /// `extraClass` ("wide" or "narrow") lets the page's CSS show the layout that fits the screen.
    package static func svg(_ chart: ReportChart, width: Double = width, height: Double = height, extraClass: String = "") -> String {
        let drawing = ChartDrawing(chart, width: width, height: height)
        let n = PDFCanvas.number
        var out =
            "<svg class=\"chart" + (extraClass.isEmpty ? "" : " " + extraClass)
            + "\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(XMLText.attribute(chart.title))\">"
        for (index, shape) in drawing.shapes.enumerated() {
            switch shape {
            case let .polyline(points, stroke, lineWidth, dashed):
                out +=
                    "<polyline fill=\"none\" stroke=\"\(stroke.hex)\" stroke-width=\"\(n(lineWidth))\"" + (dashed ? " stroke-dasharray=\"4 3\"" : "")
                out += " points=\"" + points.map { n($0.x) + "," + n($0.y) }.joined(separator: " ") + "\"/>"
            case let .polygon(points, fill):
                out += "<polygon fill=\"\(fill.hex)\" points=\"" + points.map { n($0.x) + "," + n($0.y) }.joined(separator: " ") + "\"/>"
            case let .rect(x, y, w, h, fill):
                out += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill.hex)\"/>"
            case let .circle(center, radius, fill, stroke):
                out += "<circle cx=\"\(n(center.x))\" cy=\"\(n(center.y))\" r=\"\(n(radius))\" fill=\"\(fill.hex)\" stroke=\"\(stroke.hex)\"/>"
            case let .text(string, at, size, anchor, color, bold, vertical):
                let anchorName = anchor == .start ? "start" : anchor == .middle ? "middle" : "end"
                out += "<text x=\"\(n(at.x))\" y=\"\(n(at.y))\" font-size=\"\(n(size))\" fill=\"\(color.hex)\" text-anchor=\"\(anchorName)\""
                if bold { out += " font-weight=\"bold\"" }
                if vertical { out += " transform=\"rotate(-90 \(n(at.x)) \(n(at.y)))\"" }
                out += ">" + XMLText.text(string) + "</text>"
            }
            // Hover text: the self-closed element gets a <title> child.
            if let tip = drawing.tooltips[index], out.hasSuffix("/>") {
                let name: String
                switch shape {
                case .rect: name = "rect"
                case .circle: name = "circle"
                case .polygon: name = "polygon"
                default: name = "polyline"
                }
                out.removeLast(2)
                out += "><title>" + XMLText.text(tip) + "</title></" + name + ">"
            }
        }
        return out + "</svg>"
    }
}
