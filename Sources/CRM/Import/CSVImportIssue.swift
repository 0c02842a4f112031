/// One problem an import found: where (line, row, column), what (a stable code) and a sentence
/// a person can act on, with its values, in either language (`message(in:)`).
public struct CSVImportIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Errors block the import; warnings are reported and the import may still be applied.
    public enum Severity: String, Hashable, Sendable, Codable {
        case error, warning
    }

    public enum Code: String, Hashable, Sendable, Codable, CaseIterable {
        // The file as a whole.
        case notUTF8 = "not_utf8"
        case malformedCSV = "malformed_csv"
        case emptyFile = "empty_file"
        case unknownEntity = "unknown_entity"
        case readOnlyEntity = "read_only_entity"
        case unknownField = "unknown_field"
        case invalidDefault = "invalid_default"
        case missingColumn = "missing_column"
        case duplicateHeader = "duplicate_header"
        case unmappedColumn = "unmapped_column"
        // One row.
        case extraValues = "extra_values"
        case missingValues = "missing_values"
        case missingValue = "missing_value"
        case invalidValue = "invalid_value"
        case malformedPhone = "malformed_phone"
        case malformedEmail = "malformed_email"
        case unknownReference = "unknown_reference"
        case ambiguousReference = "ambiguous_reference"
        case duplicateInFile = "duplicate_in_file"
        case duplicateOfExisting = "duplicate_of_existing"
        case unknownTerritory = "unknown_territory"
        /// The row's contact belongs to another account than the row.
        case contactOfOtherAccount = "contact_of_other_account"
        /// An order's total differs from the sum of its lines in the lines file.
        case totalMismatch = "total_mismatch"
        /// Order lines are imported with their orders (`import-csv order FILE --lines LINES`).
        case linesWithoutOrders = "lines_without_orders"
    }

    public var severity: Severity
    public var code: Code
    /// The file the problem is in when an import reads two (`lines` for the order lines of an
    /// order import); nil for the main file.
    public var file: String?
    /// The 1-based line of the file the row starts on; nil for a problem of the whole file.
    public var line: Int?
    /// The 1-based data row (the first row after the header is 1); nil for the whole file.
    public var row: Int?
    /// The CSV column (its header text), when the problem has one.
    public var column: String?
    /// The schema field, when the problem has one.
    public var field: String?
    /// What is wrong, with its values.
    public var sentence: CSVImportSentence

    public init(
        _ severity: Severity, _ code: Code, file: String? = nil, line: Int? = nil, row: Int? = nil, column: String? = nil, field: String? = nil,
        _ sentence: CSVImportSentence
    ) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.row = row
        self.column = column
        self.field = field
        self.sentence = sentence
    }

    /// What is wrong, in `language`.
    public func message(in language: Language) -> String { sentence.text(language) }

    /// What is wrong, in English (as `--json` says it).
    public var message: String { message(in: .english) }

    private enum CodingKeys: String, CodingKey {
        case severity, code, file, line, row, column, field, message
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(file, forKey: .file)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encodeIfPresent(row, forKey: .row)
        try container.encodeIfPresent(column, forKey: .column)
        try container.encodeIfPresent(field, forKey: .field)
        try container.encode(message, forKey: .message)
    }

    /// An issue read back from JSON keeps its English message as it is.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(Severity.self, forKey: .severity), try container.decode(Code.self, forKey: .code),
            file: try container.decodeIfPresent(String.self, forKey: .file), line: try container.decodeIfPresent(Int.self, forKey: .line),
            row: try container.decodeIfPresent(Int.self, forKey: .row), column: try container.decodeIfPresent(String.self, forKey: .column),
            field: try container.decodeIfPresent(String.self, forKey: .field),
            CSVImportSentence(.reason, ["reason": try container.decode(String.self, forKey: .message)])
        )
    }

    /// "line 4, column 电话: error malformed_phone: …" ("lines line 4, …" in the lines file).
    public var description: String {
        var location = (file.map { "\($0) " } ?? "") + (line.map { "line \($0)" } ?? "file")
        if let column { location += ", column \(column)" }
        return "\(location): \(severity.rawValue) \(code.rawValue): \(message)"
    }
}
