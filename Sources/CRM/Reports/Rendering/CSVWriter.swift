import Foundation

/// Writes CSV as RFC 4180 describes it: fields separated by commas, records ended by CRLF, and
/// a field quoted (with its quotes doubled) when it holds a comma, a quote, a CR or an LF.
public enum CSVWriter {
    /// One field, quoted when it must be.
    public static func field(_ text: String, delimiter: Character = ",") -> String {
        let needsQuotes = text.unicodeScalars.contains { scalar in
            scalar == "\"" || scalar == "\r" || scalar == "\n" || Character(scalar) == delimiter
        }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, without its line ending.
    public static func record(_ fields: [String], delimiter: Character = ",") -> String {
        fields.map { field($0, delimiter: delimiter) }.joined(separator: String(delimiter))
    }

    /// A whole document: every record followed by `lineEnding` (CRLF by default, as RFC 4180
    /// asks; spreadsheets accept it everywhere).
    public static func document(_ records: [[String]], delimiter: Character = ",", lineEnding: String = "\r\n") -> String {
        records.map { record($0, delimiter: delimiter) + lineEnding }.joined()
    }
}
