/// A plain text table for terminals: columns aligned by display width (Chinese names take two
/// columns per character), long cells cut with "…", numbers aligned right.
struct TextTable {
    struct Column {
        var title: String
        /// The widest a cell of this column may be before it is cut.
        var maxWidth: Int
        var alignRight: Bool

        init(_ title: String, maxWidth: Int = 36, alignRight: Bool = false) {
            self.title = title
            self.maxWidth = maxWidth
            self.alignRight = alignRight
        }
    }

    var columns: [Column]
    private(set) var rows: [[String]] = []

    init(columns: [Column]) {
        self.columns = columns
    }

    init(_ titles: String...) {
        self.columns = titles.map { Column($0) }
    }

    mutating func append(_ cells: [String]) {
        rows.append(cells)
    }

    /// The table as lines: a header, a rule and one line per row. Trailing spaces are trimmed.
    func render() -> String {
        let cells = rows.map { row in
            columns.indices.map { index in
                let text = index < row.count ? Self.singleLine(row[index]) : ""
                return DisplayWidth.truncated(text, to: columns[index].maxWidth)
            }
        }
        let widths = columns.indices.map { index in
            max(DisplayWidth.of(columns[index].title), cells.map { DisplayWidth.of($0[index]) }.max() ?? 0)
        }
        func line(_ texts: [String], alignable: Bool) -> String {
            let padded = texts.indices.map { index in
                DisplayWidth.padded(texts[index], to: widths[index], alignRight: alignable && columns[index].alignRight)
            }
            var text = padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [line(columns.map(\.title), alignable: false)]
        lines.append(line(widths.map { String(repeating: "-", count: $0) }, alignable: false))
        lines += cells.map { line($0, alignable: true) }
        return lines.joined(separator: "\n")
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
