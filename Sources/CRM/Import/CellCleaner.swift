import Foundation
import SyncCore

/// Cleans one typed cell of a spreadsheet into a canonical value (数据清洗).
///
/// - every text is made half-width (`Normalization.halfWidth`), trimmed, and, for single-line
///   text, has its inner spaces collapsed; long texts (notes) keep their line breaks;
/// - `phone` fields are normalised with `Normalization.phone` and must then be a Chinese mobile
///   (11 digits starting with 1), a number with its area code (0 and 9–11 more digits), a local
///   number of 7–8 digits, or an international number (+ and 7–15 digits);
/// - `email` fields are lowercased and must look like `local@domain.tld`;
/// - enumerations accept their values in any case and common Chinese words
///   (`CSVColumnMapping.valueSynonyms`: 潜在 → prospect, 展会 → trade_show, …);
/// - decimals drop thousands separators, spaces and currency signs (`1,200.50`, `¥3,000`,
///   `3000元`); integers drop thousands separators;
/// - dates accept `2026-3-5`, `2026/03/05`, `2026.3.5` and `2026年3月5日`;
/// - times accept such a day with `9:30` or `09:30:15` (after a space or `T`) and `Z` or an
///   offset (`+08:00`); a time without a zone is China time (+08:00), the zone the reports
///   count days in, and is stored in canonical UTC;
/// - booleans accept true/false, yes/no, 1/0, 是/否.
///
/// Then the value is checked with `ValueType.parse`. An empty cell gives nil.
enum CellCleaner {
    /// Why a cell was refused.
    struct Problem: Error {
        var code: CSVImportIssue.Code
        var sentence: CSVImportSentence
        /// The field it concerns when that is not the cell's own (a derived value).
        var field: String?

        init(code: CSVImportIssue.Code, _ sentence: CSVImportSentence, field: String? = nil) {
            self.code = code
            self.sentence = sentence
            self.field = field
        }
    }

    static func value(_ raw: String, for field: FieldSchema) throws(Problem) -> Value? {
        let isLongText: Bool
        if case .string(let maxLength) = field.type, maxLength >= 1000 { isLongText = true } else { isLongText = false }
        let text = isLongText
            ? Normalization.halfWidth(raw).trimmingCharacters(in: .whitespacesAndNewlines)
            : Normalization.text(raw)
        guard !text.isEmpty else { return nil }
        let prepared: String
        switch field.type {
        case .string where field.name == "phone":
            prepared = try phone(text)
        case .string where field.name == "email":
            prepared = try email(text)
        case .enumeration:
            prepared = CSVColumnMapping.enumerationValue(text, field: field) ?? text
        case .decimal:
            var digits = text.filter { !",， ¥￥$元".contains($0) }
            if digits.hasPrefix("CNY") || digits.hasPrefix("RMB") { digits.removeFirst(3) }
            prepared = digits
        case .int:
            prepared = text.filter { $0 != "," }
        case .date:
            prepared = day(text) ?? text
        case .timestamp:
            prepared = timestamp(text) ?? text
        case .bool:
            prepared = ["是": "true", "否": "false", "对": "true", "错": "false"][text] ?? text
        default:
            prepared = text
        }
        do throws(ValidationError) {
            return try field.type.parse(prepared, field: field.name)
        } catch {
            throw Problem(code: .invalidValue, .refusal(error.message, code: error.code.rawValue))
        }
    }

    /// The members of a set cell: split on `;`, `,`, `，`, `、` and `|`, cleaned, deduplicated.
    static func members(_ raw: String, for field: FieldSchema) throws(Problem) -> [String] {
        let separators: Set<Character> = [";", ",", "，", "、", "|", "；"]
        var members = Set<String>()
        for part in raw.split(whereSeparator: { separators.contains($0) }) {
            let member = Normalization.text(String(part))
            guard !member.isEmpty else { continue }
            do throws(ValidationError) {
                try field.type.validate(.string(member), field: field.name)
            } catch {
                throw Problem(code: .invalidValue, .refusal(error.message, code: error.code.rawValue))
            }
            members.insert(member)
        }
        return members.sorted()
    }

    static func phone(_ text: String) throws(Problem) -> String {
        let normalized = Normalization.phone(text)
        guard isPlausiblePhone(normalized) else {
            throw Problem(code: .malformedPhone, CSVImportSentence(.malformedPhone, ["text": text]))
        }
        return normalized
    }

    /// True for a normalised phone of a plausible length and shape.
    static func isPlausiblePhone(_ phone: String) -> Bool {
        if phone.hasPrefix("+") { return (7...15).contains(phone.count - 1) }
        guard !phone.isEmpty, phone.allSatisfy(\.isASCII) else { return false }
        if phone.hasPrefix("1") { return phone.count == 11 }
        if phone.hasPrefix("0") { return (10...12).contains(phone.count) }
        return (7...8).contains(phone.count)
    }

    static func email(_ text: String) throws(Problem) -> String {
        let address = Normalization.email(text)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !address.contains(where: \.isWhitespace)
            && address.allSatisfy { $0.isASCII }
        guard valid else {
            throw Problem(code: .malformedEmail, CSVImportSentence(.malformedEmail, ["text": text]))
        }
        return address
    }

    /// `2026/3/5`, `2026.3.5`, `2026-3-5`, `2026年3月5日` → `2026-03-05`; nil for other forms.
    static func day(_ text: String) -> String? {
        var cleaned = text
        if cleaned.hasSuffix("日") || cleaned.hasSuffix("号") { cleaned.removeLast() }
        let parts = cleaned.split(whereSeparator: { "-/.年月".contains($0) })
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let calendarDay = CalendarDay(year: year, month: month, day: day) else { return nil }
        return calendarDay.description
    }

    /// `2026/11/20 9:30`, `2026-11-20T09:30:15+08:00`, `2026-11-20 01:30Z` → canonical UTC
    /// (`2026-11-20T01:30:00Z`); a time without a zone is taken in China time (+08:00). Nil for
    /// other forms.
    static func timestamp(_ text: String) -> String? {
        if Dates.isValidTimestamp(text) { return text }
        let parts = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = day(String(parts[0])).flatMap(CalendarDay.init) else { return nil }
        var clock = parts[1].trimmingCharacters(in: .whitespaces)
        var offsetMinutes = 8 * 60
        if clock.hasSuffix("Z") {
            clock.removeLast()
            offsetMinutes = 0
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = clock[clock.index(after: sign)...].split(separator: ":").map { Int($0) }
            guard (1...2).contains(zone.count), let hours = zone[0], hours <= 14 else { return nil }
            let minutes = zone.count == 2 ? zone[1] : 0
            guard let minutes, minutes < 60 else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (clock[sign] == "-" ? -1 : 1)
            clock = String(clock[..<sign])
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(fields.count), let hour = fields[0], let minute = fields[1], hour < 24, minute < 60 else { return nil }
        let second = fields.count == 3 ? fields[2] : 0
        guard let second, second < 60 else { return nil }
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        return Instant(startOf: day, utcOffsetMinutes: offsetMinutes).adding(seconds: seconds).description
    }
}
