import Foundation
import SyncCore

/// A CSV file read into a header and rows of fields.
public struct CSVTable: Hashable, Sendable {
    /// One record of the file.
    public struct Row: Hashable, Sendable {
        /// The 1-based line of the file the record starts on (a quoted field may span lines).
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The first record.
    public var header: [String]
    /// The other records, blank lines left out.
    public var rows: [Row]

    public init(header: [String], rows: [Row]) {
        self.header = header
        self.rows = rows
    }
}

/// Reads CSV as RFC 4180 describes it, plus what spreadsheets really write.
///
/// - Input must be UTF-8; a UTF-8 byte order mark (Excel's "CSV UTF-8") is stripped. Other
///   encodings are refused with `CSVError.Code.notUTF8` naming the first bad byte's line and,
///   when the bytes look like it, the likely encoding (GBK/GB18030, UTF-16).
/// - Fields are separated by the delimiter (a comma by default) and records by CRLF, LF or a
///   lone CR.
/// - A field that starts with `"` is quoted: it may hold delimiters, line breaks (kept as
///   written) and `""` for a quote. Spaces after the closing quote are ignored; anything else
///   there is an error. A `"` inside an unquoted field is kept as a character.
/// - Lines with nothing on them are skipped; a final line break adds no record.
public enum CSVParser {
    /// Parses a whole file; the first record is the header.
    public static func parse(_ data: Data, delimiter: Character = ",") throws(CSVError) -> CSVTable {
        let records = try records(in: data, delimiter: delimiter)
        guard let header = records.first else {
            throw CSVError(.empty, line: nil, CSVImportSentence(.emptyFile))
        }
        return CSVTable(header: header.fields, rows: Array(records.dropFirst()))
    }

    /// Every record of a file, the header included.
    public static func records(in data: Data, delimiter: Character = ",") throws(CSVError) -> [CSVTable.Row] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        try checkUTF8(bytes)
        guard let separator = delimiter.asciiValue, separator != UInt8(ascii: "\""), separator != 0x0A, separator != 0x0D else {
            throw CSVError(.invalidDelimiter, line: nil, CSVImportSentence(.invalidDelimiter))
        }
        return try split(bytes, separator: separator)
    }

    private static func split(_ bytes: [UInt8], separator: UInt8) throws(CSVError) -> [CSVTable.Row] {
        let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var rows: [CSVTable.Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var inQuotes = false
        var wasQuoted = false
        var afterQuote = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            afterQuote = false
        }
        func endRecord() {
            let blank = fields.isEmpty && field.isEmpty && !wasQuoted
            endField()
            if !blank { rows.append(CSVTable.Row(line: recordLine, fields: fields)) }
            fields.removeAll()
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    if byte == lf || (byte == cr && (index + 1 >= bytes.count || bytes[index + 1] != lf)) { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case separator:
                endField()
            case cr, lf:
                if byte == cr, index + 1 < bytes.count, bytes[index + 1] == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            case quote where field.isEmpty && !wasQuoted:
                inQuotes = true
                wasQuoted = true
                quoteLine = line
            default:
                if afterQuote {
                    guard byte == UInt8(ascii: " ") || byte == 0x09 else {
                        throw CSVError(.textAfterQuote, line: line, CSVImportSentence(.textAfterQuote, ["column": fields.count + 1]))
                    }
                } else {
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes {
            throw CSVError(.unterminatedQuote, line: quoteLine, CSVImportSentence(.unterminatedQuote, ["column": fields.count + 1]))
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return rows
    }

    /// Refuses bytes that are not UTF-8, naming the first bad byte and a likely encoding.
    static func checkUTF8(_ bytes: [UInt8]) throws(CSVError) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw CSVError(.notUTF8, line: 1, CSVImportSentence(.notUTF16))
        }
        guard let offset = UTF8Validation.firstInvalidOffset(bytes) else { return }
        let line = bytes[..<offset].filter { $0 == 0x0A }.count + 1
        let byte = "0x" + String(bytes[offset], radix: 16, uppercase: true)
        throw CSVError(.notUTF8, line: line, CSVImportSentence(looksLikeGB18030(bytes) ? .notUTF8LooksGB : .notUTF8, ["byte": byte, "line": line]))
    }

    /// True when most non-ASCII bytes pair up as GBK/GB18030 double-byte characters.
    static func looksLikeGB18030(_ bytes: [UInt8]) -> Bool {
        var pairs = 0
        var strays = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
            } else if (0x81...0xFE).contains(byte), index + 1 < bytes.count,
                      (0x40...0xFE).contains(bytes[index + 1]), bytes[index + 1] != 0x7F {
                pairs += 1
                index += 2
            } else {
                strays += 1
                index += 1
            }
        }
        return pairs > 0 && strays * 10 <= pairs
    }
}
