import CRM
import Foundation
import Testing

@Suite("Tables, CSV output and charts")
struct RenderingTests {
    @Test("display width counts CJK and full-width characters as two columns", arguments: [
        ("abc", 3), ("上海", 4), ("ＡＢ", 4), ("e\u{301}", 1), ("한국", 4), ("😀", 2), ("", 0), ("Ａ1", 3), ("ｱ", 1),
        ("上海华科 Apex", 13), ("，。", 4), ("\u{3000}", 2), ("👍🏽", 2), ("\t", 0),
    ])
    func displayWidth(text: String, width: Int) {
        #expect(TerminalText.displayWidth(text) == width)
    }

    @Test("padding and truncation honour display width")
    func padding() {
        #expect(TerminalText.padded("上海", toWidth: 6) == "上海  ")
        #expect(TerminalText.padded("12", toWidth: 5, alignment: .right) == "   12")
        #expect(TerminalText.truncated("上海华科电子", toWidth: 7) == "上海华…")
        #expect(TerminalText.truncated("Apex", toWidth: 10) == "Apex")
    }

    @Test("table columns line up with Chinese cells")
    func alignedTable() {
        let table = ReportTable(
            title: "", headers: ["account", "amount"], alignments: [.left, .right],
            rows: [["上海华科电子", "12.00"], ["Apex", "1200.00"]]
        )
        let lines = table.text().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(Set(lines.map(TerminalText.displayWidth)).count == 1)
        #expect(lines[2].hasPrefix("上海华科电子  "))
    }

    @Test("amount columns group their digits by thousands in text and stay plain numbers in CSV")
    func amountColumns() {
        let table = ReportTable(
            title: "", headers: ["currency", "amount", "count"], alignments: [.left, .amount, .right],
            rows: [["CNY", "1380000.00", "12345"], ["USD", "-999.5", "1"], ["CNY", "—", "0"]]
        )
        let lines = table.text().split(separator: "\n").map(String.init)
        #expect(lines[2] == "CNY       1,380,000.00  12345")
        #expect(lines[3] == "USD             -999.5      1")
        #expect(lines[4] == "CNY                  —      0")
        #expect(table.csv() == "currency,amount,count\r\nCNY,1380000.00,12345\r\nUSD,-999.5,1\r\nCNY,—,0\r\n")
    }

    @Test("digits group by thousands; words and missing values are left alone", arguments: [
        ("0.00", "0.00"), ("999", "999"), ("1000", "1,000"), ("-1234567.891", "-1,234,567.891"), ("+100000", "+100,000"),
        ("12345678901234567890.5", "12,345,678,901,234,567,890.5"), ("—", "—"), ("open", "open"), (".5", ".5"), ("1,000", "1,000"),
    ])
    func grouping(text: String, expected: String) {
        #expect(ReportFormat.grouped(text) == expected)
    }

    @Test("money in a sentence names its currency")
    func money() {
        #expect(ReportFormat.money(Amount(1380000), currency: "CNY") == "CNY 1,380,000.00")
        #expect(ReportFormat.money(nil, currency: "CNY") == ReportFormat.missing)
    }

    @Test("CSV fields are quoted only when they must be", arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        ("cr\r", "\"cr\r\""), ("", ""), ("上海，华科", "上海，华科"), (" padded ", " padded "),
    ])
    func csvField(text: String, expected: String) {
        #expect(CSVWriter.field(text) == expected)
    }

    @Test("CSV cells a spreadsheet would run as a formula are written as text; signed numbers stay numbers", arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+86 138", "'+86 138"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"), ("-12.5", "-12.5"), ("+3", "+3"), ("-", "'-"), ("a=b", "a=b"), ("'=1", "'=1"),
    ])
    func csvFormulaInjection(text: String, expected: String) {
        #expect(CSVWriter.field(text) == expected)
    }

    @Test("written CSV parses back to the same cells")
    func csvRoundTrip() throws {
        let records = [["name", "notes", "tags"], ["上海华科", "line 1\r\nline 2, \"quoted\"", "vip;electronics"], ["", "\"", ","]]
        let document = CSVWriter.document(records)
        #expect(document.hasSuffix("\r\n"))
        let parsed = try CSVParser.records(in: Data(document.utf8))
        #expect(parsed.map(\.fields) == records)
        #expect(parsed.map(\.line) == [1, 2, 4])
    }

    @Test("a table's CSV holds its header and rows")
    func tableCSV() {
        let table = ReportTable(title: "t", headers: ["a", "b"], rows: [["1", "x,y"]], notes: ["n"])
        #expect(table.csv() == "a,b\r\n1,\"x,y\"\r\n")
    }

    static let chart = BarChart(title: "Pipeline", bars: [
        BarChart.Bar(label: "qualification", value: 100, valueLabel: "100"),
        BarChart.Bar(label: "方案 proposal", value: 50, valueLabel: "50"),
        BarChart.Bar(label: "won", value: 0, valueLabel: "0"),
        BarChart.Bar(label: "tiny", value: 1, valueLabel: "1"),
    ])

    @Test("terminal bars scale to the width and labels line up")
    func terminalBars() {
        let lines = TerminalChartRenderer.render(Self.chart, barWidth: 10).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[1].filter { $0 == "█" }.count == 10)
        #expect(lines[2].filter { $0 == "█" }.count == 5)
        #expect(lines[3].filter { $0 == "█" }.count == 0)
        #expect(lines[4].contains("▏"))
        let barStarts = lines.dropFirst().map { line in TerminalText.displayWidth(String(line.prefix { $0 != "│" })) }
        #expect(Set(barStarts).count == 1)
        #expect(lines[2].hasSuffix("│ 50"))
    }

    @Test("terminal funnel bars are centred")
    func terminalFunnel() {
        var chart = Self.chart
        chart.style = .funnel
        let lines = TerminalChartRenderer.render(chart, barWidth: 10).split(separator: "\n").map(String.init)
        #expect(lines[2].contains("│  █████   │"))
    }

    @Test("the SVG chart is self-contained and escapes its text")
    func svg() {
        var chart = Self.chart
        chart.bars.append(BarChart.Bar(label: "<script>&\"'", value: 10))
        for style in [BarChart.Style.bars, .funnel] {
            chart.style = style
            let svg = SVGChartRenderer.render(chart)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(svg.hasSuffix("</svg>"))
            #expect(svg.components(separatedBy: "<rect").count - 1 == chart.bars.count)
            #expect(!svg.contains("<script>"))
            #expect(svg.contains("&lt;script&gt;&amp;&quot;&apos;"))
            #expect(svg.components(separatedBy: "http").count == 2)
            #expect(!svg.contains("href"))
        }
        #expect(SVGChartRenderer.render(BarChart(title: "empty", bars: [])).contains("no data"))
    }

    @Test("a pipeline chart draws the open stages and won of one currency")
    func pipelineChart() {
        let report = PipelineReport(CRMDataSet(records: PipelineReportTests.records))
        let chart = report.chart(measure: .weightedAmount)
        #expect(chart.bars.map(\.label) == ["qualification", "needs_analysis", "proposal", "negotiation", "won"])
        #expect(chart.style == .funnel)
        #expect(chart.bars.last?.value == 5000)
        #expect(report.chart(currency: "USD", measure: .count).bars.map(\.value) == [0, 0, 1, 0, 0])
        #expect(TerminalChartRenderer.render(chart).contains("5,000.00 (1)"))
    }
}

@Suite("Number formatting in tables")
struct ReportFormatTests {
    @Test("fixed decimals round half away from zero", arguments: [
        (0.625, 2, "0.63"), (62.5, 0, "63"), (-1.25, 1, "-1.3"), (1.0 / 3.0, 1, "0.3"), (0, 2, "0.00"), (-0.04, 1, "0.0"), (1e20, 1, "1e+20"),
    ])
    func fixed(value: Double, places: Int, expected: String) {
        #expect(ReportFormat.fixed(value, places: places) == expected)
    }

    @Test("percentages, hours and targets")
    func kpis() {
        #expect(ReportFormat.percent(0.8571) == "85.7%")
        #expect(ReportFormat.percent(nil) == "—")
        #expect(ReportFormat.hours(5400) == "1.5")
        #expect(ReportFormat.target(KPI(value: 0.9, target: KPITarget(0.9))) == "target ≥ 90.0%: met")
        #expect(ReportFormat.target(KPI(value: 0.06, target: KPITarget(0.05, .atMost))) == "target ≤ 5.0%: not met")
        #expect(ReportFormat.target(KPI(value: nil, target: KPITarget(0.9))) == "target ≥ 90.0%: nothing to measure")
        #expect(ReportFormat.target(KPI(value: 0.5)) == "no target")
    }
}
