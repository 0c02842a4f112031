/// The dry-run report of a CSV import: how columns were mapped, every problem by row, and the
/// records that applying the import would create.
///
/// Nothing is written by producing it. The store applies `creations` all-or-nothing, and only
/// when `canApply` (no errors).
public struct CSVImportReport: TabularReport, Hashable, Codable {
    /// How one CSV column is used.
    public struct Column: Hashable, Sendable, Codable {
        public var header: String
        /// The field it fills; nil when the column is ignored.
        public var field: String?
    }

    public var entity: String
    public var columns: [Column]
    /// Data rows read (header and blank lines not counted), both files' for orders with lines.
    public var rowCount: Int
    /// Sorted by line (file-level problems first), then column.
    public var issues: [CSVImportIssue]
    public var creations: [RecordCreation]
    /// Rows left out as probable duplicates (duplicate policy `skip`).
    public var skippedDuplicates: Int
    public var errorCount: Int
    public var warningCount: Int
    /// True when there are no errors: applying creates `creations`.
    public var canApply: Bool

    public init(entity: String, columns: [Column], rowCount: Int, issues: [CSVImportIssue], creations: [RecordCreation], skippedDuplicates: Int) {
        self.entity = entity
        self.columns = columns
        self.rowCount = rowCount
        self.issues = issues.sorted { lhs, rhs in
            (lhs.file ?? "", lhs.line ?? 0, lhs.column ?? "", lhs.code.rawValue) < (rhs.file ?? "", rhs.line ?? 0, rhs.column ?? "", rhs.code.rawValue)
        }
        self.creations = creations
        self.skippedDuplicates = skippedDuplicates
        errorCount = issues.filter { $0.severity == .error }.count
        warningCount = issues.count - errorCount
        canApply = errorCount == 0
    }

    /// The rows (by line) that have an error.
    public var linesWithErrors: [Int] {
        Array(Set(issues.filter { $0.severity == .error }.compactMap(\.line))).sorted()
    }

    /// One line summing up the dry run.
    public var summary: String {
        let verdict = canApply
            ? "ready: \(creationCounts) to create"
            : "not applicable: fix the \(errorCount) error\(errorCount == 1 ? "" : "s") first; nothing was changed"
        return "\(rowCount) rows read, \(errorCount) errors, \(warningCount) warnings, \(skippedDuplicates) duplicates skipped; \(verdict)"
    }

    /// How many records of each entity the import creates, in the order they first come.
    public var creationCountsByEntity: [(entity: String, count: Int)] {
        var counts: [(entity: String, count: Int)] = []
        for creation in creations {
            if let index = counts.firstIndex(where: { $0.entity == creation.entity }) {
                counts[index].count += 1
            } else {
                counts.append((creation.entity, 1))
            }
        }
        return counts.isEmpty ? [(entity, 0)] : counts
    }

    /// "2 account records", or "2 order and 5 order_line records" for orders with lines.
    public var creationCounts: String {
        let counts = creationCountsByEntity
        let total = counts.reduce(0) { $0 + $1.count }
        return counts.map { "\($0.count) \($0.entity)" }.joined(separator: " and ") + " record\(total == 1 ? "" : "s")"
    }

    /// Every issue, one per line.
    public var table: ReportTable { table(in: .english) }

    /// Every issue, one per line, its problem said in `language` (`ReportTable.localized`
    /// translates the title, headers and summary).
    public func table(in language: Language) -> ReportTable {
        ReportTable(
            title: "CSV import of \(entity): problems by line",
            headers: ["line", "column", "severity", "code", "problem"],
            alignments: [.right, .left, .left, .left, .left],
            rows: issues.map { [($0.file.map { "\($0) " } ?? "") + ($0.line.map(String.init) ?? "file"), $0.column ?? "", $0.severity.rawValue, $0.code.rawValue, $0.message(in: language)] },
            notes: [summary]
        )
    }

    /// The column mapping.
    public var mappingTable: ReportTable {
        ReportTable(
            title: "Column mapping",
            headers: ["column", "field"],
            rows: columns.map { [$0.header, $0.field ?? "(ignored)"] }
        )
    }

    public var tables: [ReportTable] { [mappingTable, table] }

    /// The mapping and the problems as text in `language`, the problems in it too.
    public func text(_ language: Language = .english) -> String {
        [mappingTable, table(in: language)].map { $0.localized(language).text() }.joined(separator: "\n")
    }
}
