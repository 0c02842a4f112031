/// A report as a table of strings: the form both the CLI (text, CSV) and the server (JSON,
/// HTML) render.
public struct ReportTable: Hashable, Sendable, Codable {
    /// How a column's cells line up in text output.
    public enum Alignment: String, Hashable, Sendable, Codable {
        case left, right
        /// Right-aligned amounts of money: the text form groups their digits by thousands
        /// ("1,380,000.00"); CSV and JSON keep the plain decimal so a spreadsheet reads a number.
        case amount
    }

    public var title: String
    public var headers: [String]
    /// One per header; numbers are right-aligned.
    public var alignments: [Alignment]
    public var rows: [[String]]
    /// Lines printed under the table: targets, definitions, "includes N unsynced local edits".
    public var notes: [String]

    public init(title: String, headers: [String], alignments: [Alignment] = [], rows: [[String]], notes: [String] = []) {
        self.title = title
        self.headers = headers
        self.alignments = headers.indices.map { $0 < alignments.count ? alignments[$0] : .left }
        self.rows = rows
        self.notes = notes
    }

    /// The table as aligned text for a terminal: a title, the header, a rule, the rows and the
    /// notes. Column widths honour double-width characters.
    public func text() -> String {
        let rows = rows.map { row in
            row.enumerated().map { index, cell in
                index < alignments.count && alignments[index] == .amount ? ReportFormat.grouped(cell) : cell
            }
        }
        let columnCount = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columnCount)
        for row in [headers] + rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], TerminalText.displayWidth(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = widths.indices.map { index -> String in
                let cell = index < cells.count ? cells[index] : ""
                let alignment = index < alignments.count ? alignments[index] : .left
                return TerminalText.padded(cell, toWidth: widths[index], alignment: alignment)
            }
            var text = padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines: [String] = []
        if !title.isEmpty { lines.append(title) }
        lines.append(line(headers))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        if rows.isEmpty { lines.append("(none)") }
        lines += notes
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header and rows as an RFC 4180 CSV document (title and notes left out, so that a
    /// spreadsheet reads it as plain data).
    public func csv() -> String {
        CSVWriter.document([headers] + rows)
    }
}

/// A report that renders as tables.
public protocol TabularReport: Sendable {
    /// The report's main table.
    var table: ReportTable { get }
    /// Every table of the report, the main one first; a report with details adds them here.
    var tables: [ReportTable] { get }
}

extension TabularReport {
    public var tables: [ReportTable] { [table] }

    /// All tables as text in `language`, separated by blank lines.
    public func text(_ language: Language = .english) -> String {
        tables.map { $0.localized(language).text() }.joined(separator: "\n")
    }
}
