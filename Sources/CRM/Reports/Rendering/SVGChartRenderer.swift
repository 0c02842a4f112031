/// Draws a `BarChart` as a self-contained `<svg>` element for the admin web page: no scripts,
/// fonts, stylesheets or images from elsewhere, and every text escaped.
public enum SVGChartRenderer {
    /// Layout constants in SVG user units.
    struct Layout {
        static let rowHeight = 28
        static let barHeight = 20
        static let titleHeight = 32
        static let margin = 12
        static let characterWidth = 7  // one terminal column at font-size 12
        static let valueWidth = 150
    }

    /// The chart as an `<svg>` string `width` units wide; the height follows from the bar count.
    public static func render(_ chart: BarChart, width: Int = 640, fill: String = "#3b82f6") -> String {
        let labelColumns = chart.bars.map { TerminalText.displayWidth($0.label) }.max() ?? 0
        let labelWidth = chart.style == .bars ? labelColumns * Layout.characterWidth + Layout.margin : 0
        let plotX = Layout.margin + labelWidth
        let plotWidth = max(40, width - plotX - Layout.valueWidth - Layout.margin)
        let height = Layout.titleHeight + max(1, chart.bars.count) * Layout.rowHeight + Layout.margin
        let color = escape(fill)
        var parts: [String] = []
        parts.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(escape(chart.title))\" "
                + "font-family=\"sans-serif\" font-size=\"12\">"
        )
        parts.append("<title>\(escape(chart.title))</title>")
        parts.append("<text x=\"\(Layout.margin)\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(escape(chart.title))</text>")
        if chart.bars.isEmpty {
            parts.append("<text x=\"\(Layout.margin)\" y=\"\(Layout.titleHeight + 16)\" fill=\"#666\">no data</text>")
        }
        for (index, bar) in chart.bars.enumerated() {
            let y = Layout.titleHeight + index * Layout.rowHeight
            let textY = y + Layout.barHeight / 2 + 4
            let length = Int((chart.fraction(of: bar) * Double(plotWidth)).rounded())
            let barLength = length == 0 && bar.value > .zero ? 1 : length
            switch chart.style {
            case .bars:
                parts.append("<text x=\"\(Layout.margin)\" y=\"\(textY)\">\(escape(bar.label))</text>")
                parts.append(
                    "<rect x=\"\(plotX)\" y=\"\(y)\" width=\"\(barLength)\" height=\"\(Layout.barHeight)\" fill=\"\(color)\">"
                        + "<title>\(escape(bar.label)): \(escape(bar.valueLabel))</title></rect>"
                )
                parts.append("<text x=\"\(plotX + barLength + 6)\" y=\"\(textY)\">\(escape(bar.valueLabel))</text>")
            case .funnel:
                let x = plotX + (plotWidth - barLength) / 2
                parts.append(
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barLength)\" height=\"\(Layout.barHeight)\" fill=\"\(color)\">"
                        + "<title>\(escape(bar.label)): \(escape(bar.valueLabel))</title></rect>"
                )
                let center = plotX + plotWidth / 2
                parts.append("<text x=\"\(center)\" y=\"\(textY)\" text-anchor=\"middle\">\(escape(bar.label))</text>")
                parts.append("<text x=\"\(plotX + plotWidth + 6)\" y=\"\(textY)\">\(escape(bar.valueLabel))</text>")
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Escapes the five XML special characters and drops control characters XML forbids.
    public static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
