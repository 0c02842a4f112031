/// Why a file cannot be read as CSV at all: a stable code, the line it concerns, and a
/// sentence a person can act on, in either language.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, Codable {
        /// The bytes are not UTF-8 (typically GBK/GB18030 from a Chinese Excel, or UTF-16).
        case notUTF8 = "not_utf8"
        /// A quoted field is never closed.
        case unterminatedQuote = "unterminated_quote"
        /// Text follows the closing quote of a field before the next separator.
        case textAfterQuote = "text_after_quote"
        /// The file holds no header row.
        case empty = "empty_file"
        /// The delimiter asked for cannot separate fields.
        case invalidDelimiter = "invalid_delimiter"
    }

    public var code: Code
    /// The 1-based line of the file, when the problem has one.
    public var line: Int?
    public var sentence: CSVImportSentence

    public init(_ code: Code, line: Int?, _ sentence: CSVImportSentence) {
        self.code = code
        self.line = line
        self.sentence = sentence
    }

    /// What is wrong, in English.
    public var message: String { sentence.text(.english) }

    public var description: String {
        (line.map { "line \($0): " } ?? "") + "\(code.rawValue): \(message)"
    }
}
