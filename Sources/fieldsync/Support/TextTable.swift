import SyncCore

/// A plain text table for terminals: columns aligned by display width (Chinese names take two
/// columns per character), long cells cut with "…", numbers aligned right, the whole table
/// narrowed to the terminal's width, rows that need action in red when colour is on.
struct TextTable {
    struct Column {
        var title: String
        /// The widest a cell of this column may be before it is cut.
        var maxWidth: Int
        var alignRight: Bool
        /// Never narrowed to fit the terminal: an id is what people type next.
        var keepsWidth: Bool

        init(_ title: String, maxWidth: Int = 36, alignRight: Bool = false) {
            self.title = title
            self.maxWidth = maxWidth
            self.alignRight = alignRight
            self.keepsWidth = title == "ID"
        }
    }

    var columns: [Column]
    private(set) var rows: [[String]] = []
    private(set) var emphasis: [TerminalStyle.Emphasis] = []

    init(columns: [Column]) {
        self.columns = columns
    }

    init(_ titles: String...) {
        self.columns = titles.map { Column($0) }
    }

    mutating func append(_ cells: [String], emphasis: TerminalStyle.Emphasis = .plain) {
        rows.append(cells)
        self.emphasis.append(emphasis)
    }

    /// The table as lines: a header, a rule and one line per row, at most `width` columns
    /// wide when it can be (nil: no limit). Trailing spaces are trimmed. Control characters
    /// in cells come out escaped; with `colours`, emphasised rows carry colour codes, so such a
    /// table is written with `TerminalOutput.writeStyled`.
    func render(width: Int? = TerminalStyle.width, colours: Bool = TerminalStyle.colours) -> String {
        var cells = rows.map { row in
            columns.indices.map { index in
                let text = index < row.count ? ControlCharacters.escaped(Self.singleLine(row[index])) : ""
                return DisplayWidth.truncated(text, to: columns[index].maxWidth)
            }
        }
        var widths = columns.indices.map { index in
            max(DisplayWidth.of(columns[index].title), cells.map { DisplayWidth.of($0[index]) }.max() ?? 0)
        }
        var titles = columns.map(\.title)
        if let width {
            let fitted = Self.fitted(widths, columns: columns, into: width)
            if fitted != widths {
                widths = fitted
                cells = cells.map { row in row.indices.map { DisplayWidth.truncated(row[$0], to: widths[$0]) } }
                titles = titles.indices.map { DisplayWidth.truncated(titles[$0], to: widths[$0]) }
            }
        }
        func line(_ texts: [String], alignable: Bool) -> String {
            let padded = texts.indices.map { index in
                DisplayWidth.padded(texts[index], to: widths[index], alignRight: alignable && columns[index].alignRight)
            }
            var text = padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [line(titles, alignable: false)]
        lines.append(line(widths.map { String(repeating: "-", count: $0) }, alignable: false))
        lines += cells.indices.map { TerminalStyle.styled(line(cells[$0], alignable: true), emphasis[$0], colours: colours) }
        return lines.joined(separator: "\n")
    }

    /// Column widths narrowed, the widest first, until the table fits `total` columns; ids
    /// keep their width and no column goes below a few characters (a table that cannot fit
    /// stays wider than the terminal).
    static func fitted(_ widths: [Int], columns: [Column], into total: Int) -> [Int] {
        var widths = widths
        let gaps = 2 * max(0, widths.count - 1)
        let floors = widths.indices.map { min(widths[$0], max(4, min(DisplayWidth.of(columns[$0].title), 8))) }
        var excess = widths.reduce(0, +) + gaps - total
        while excess > 0 {
            let narrowable = widths.indices.filter { !columns[$0].keepsWidth && widths[$0] > floors[$0] }
            guard let widest = narrowable.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    /// Line breaks and tabs inside a cell would break the table; show them as spaces.
    static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}

/// Aligned `label  value` lines, for one record or a status page.
struct KeyValueList {
    private(set) var entries: [(String, String)] = []

    mutating func append(_ key: String, _ value: String) {
        entries.append((key, value))
    }

    func render(indent: String = "") -> String {
        let width = entries.map { DisplayWidth.of($0.0) }.max() ?? 0
        return entries.map { key, value in
            var text = indent + DisplayWidth.padded(key, to: width) + "  " + value
            while text.last == " " { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }
}
