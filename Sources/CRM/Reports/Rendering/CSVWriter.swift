import Foundation
import SyncCore

/// Writes CSV as RFC 4180 describes it: fields separated by commas, records ended by CRLF, and
/// a field quoted (with its quotes doubled) when it holds a comma, a quote, a CR or an LF.
public enum CSVWriter {
    /// One field, quoted when it must be, and kept from being run as a formula.
    public static func field(_ text: String, delimiter: Character = ",") -> String {
        let text = neutralized(text)
        let needsQuotes = text.unicodeScalars.contains { scalar in
            scalar == "\"" || scalar == "\r" || scalar == "\n" || Character(scalar) == delimiter
        }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
    /// return before one) as a formula: `=HYPERLINK(…)` typed into a customer's name would run
    /// on the manager's computer that opens the export. Such a cell is written with a leading
    /// apostrophe, the spreadsheet's mark for text, so it shows as typed. A signed number
    /// (`-12.5`, `+86`) cannot be a formula and is left alone.
    public static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first) else { return text }
        if first == "-" || first == "+", Decimals.canonical(text) != nil {
            return text
        }
        return "'" + text
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

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
