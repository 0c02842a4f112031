/// Draws a `BarChart` with block characters for a terminal.
///
/// Labels are padded to a common display width (Chinese labels count two columns per
/// character), bars are scaled so that the largest value fills `barWidth` columns, and bars use
/// eighth blocks (`▏▎▍▌▋▊▉`) for their fractional end. Funnel bars are centred and use whole
/// blocks.
public enum TerminalChartRenderer {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The chart as lines of text ending in a newline.
    public static func render(_ chart: BarChart, barWidth: Int = 40) -> String {
        let width = max(1, barWidth)
        let labelWidth = chart.bars.map { TerminalText.displayWidth($0.label) }.max() ?? 0
        var lines: [String] = []
        if !chart.title.isEmpty { lines.append(chart.title) }
        for bar in chart.bars {
            let label = TerminalText.padded(bar.label, toWidth: labelWidth)
            let fraction = chart.fraction(of: bar)
            let drawn: String
            switch chart.style {
            case .bars:
                let units = Int((fraction * Double(width * 8)).rounded())
                let body = String(repeating: "█", count: units / 8) + eighths[units % 8]
                drawn = TerminalText.padded(body.isEmpty && bar.value > .zero ? "▏" : body, toWidth: width)
            case .funnel:
                var cells = Int((fraction * Double(width)).rounded())
                if cells == 0 && bar.value > .zero { cells = 1 }
                let left = (width - cells) / 2
                let body = String(repeating: " ", count: left) + String(repeating: "█", count: cells)
                drawn = TerminalText.padded(body, toWidth: width)
            }
            var line = "\(label) │\(drawn)│ \(bar.valueLabel)"
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        if chart.bars.isEmpty { lines.append("(no data)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
