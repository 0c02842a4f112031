extension ValueType {
    /// Checks that a wire value has this type in its canonical form.
    public func validate(_ value: Value, field: String) throws(ValidationError) {
        func mismatch() -> ValidationError {
            ValidationError(.typeMismatch, .fieldTakesType, ["field": field, "type": name, "got": value.typeName, "value": value])
        }
        switch self {
        case .string(let maxLength):
            guard case .string(let text) = value else { throw mismatch() }
            // Bytes first: one character may hold any number of combining scalars, so a
            // character count alone bounds neither storage nor the time to count it.
            let byteLimit = ValueLimits.maxUTF8Bytes(forCharacters: maxLength)
            guard text.utf8.count <= byteLimit else {
                throw ValidationError(.valueTooLong, .textTooManyBytes, ["field": field, "maxLength": maxLength, "byteLimit": byteLimit, "bytes": text.utf8.count])
            }
            guard text.count <= maxLength else {
                throw ValidationError(.valueTooLong, .textTooLong, ["field": field, "maxLength": maxLength, "characters": text.count])
            }
            if let control = ControlCharacters.first(in: text) {
                throw ValidationError(
                    .controlCharacter,
                    .controlCharacter, ["field": field, "character": ControlCharacters.name(control)]
                )
            }
        case .int(let min, let max):
            guard case .int(let number) = value else { throw mismatch() }
            guard number >= min && number <= max else {
                throw ValidationError(.invalidValue, .integerOutOfRange, ["field": field, "min": min, "max": max, "number": number])
            }
        case .decimal:
            guard case .string(let text) = value else { throw mismatch() }
            guard let canonical = Decimals.canonical(text), canonical == text else {
                throw ValidationError(.typeMismatch, .decimalNotCanonical, ["field": field, "text": text])
            }
        case .bool:
            guard case .bool = value else { throw mismatch() }
        case .date:
            guard case .string(let text) = value, Dates.isValidDay(text) else {
                throw ValidationError(.typeMismatch, .dateExpected, ["field": field, "value": value])
            }
        case .timestamp:
            guard case .string(let text) = value, Dates.isValidTimestamp(text) else {
                throw ValidationError(.typeMismatch, .utcTimeExpected, ["field": field, "value": value])
            }
        case .enumeration(let allowed):
            guard case .string(let text) = value else { throw mismatch() }
            guard allowed.contains(text) else {
                throw ValidationError(.invalidValue, .enumerationExpected, ["field": field, "allowed": allowed.joined(separator: ", "), "text": text])
            }
        case .reference(let entity):
            guard case .string(let text) = value, RecordIDs.isValid(text) else {
                throw ValidationError(.typeMismatch, .referenceExpected, ["field": field, "entity": entity, "value": value])
            }
        }
    }

    /// Parses what a person typed into a canonical value of this type.
    public func parse(_ text: String, field: String) throws(ValidationError) -> Value {
        let trimmed = text.trimmingWhitespace()
        let value: Value
        switch self {
        case .string:
            value = .string(trimmed)
        case .int:
            guard let number = Int64(trimmed) else {
                throw ValidationError(.typeMismatch, .integerExpected, ["field": field, "text": text])
            }
            value = .int(number)
        case .decimal:
            guard let canonical = Decimals.canonical(trimmed) else {
                throw ValidationError(.typeMismatch, .decimalExpected, ["field": field, "text": text])
            }
            value = .string(canonical)
        case .bool:
            switch trimmed.lowercased() {
            case "true", "yes", "y", "1": value = .bool(true)
            case "false", "no", "n", "0": value = .bool(false)
            default: throw ValidationError(.typeMismatch, .boolExpected, ["field": field, "text": text])
            }
        case .date, .timestamp:
            value = .string(trimmed)
        case .reference:
            value = .string(trimmed.lowercased())
        case .enumeration(let allowed):
            let match = allowed.first { $0 == trimmed } ?? allowed.first { $0.lowercased() == trimmed.lowercased() }
            value = .string(match ?? trimmed)
        }
        try validate(value, field: field)
        return value
    }

    public var isReference: Bool {
        if case .reference = self { return true }
        return false
    }

    public var referencedEntity: String? {
        if case .reference(let entity) = self { return entity }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// Control characters a terminal or a printer would act on (BEL, ESC sequences, NUL): C0
/// except tab and line feed, DEL, and the C1 range (U+0080–U+009F, where U+009B is CSI).
/// Text fields refuse them; whatever shows text that may hold them escapes them.
public enum ControlCharacters {
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09 && value != 0x0A) || (0x7F...0x9F).contains(value)
    }

    /// The first refused scalar of `text`, found in one pass over its UTF-8 (a C1 control is
    /// 0xC2 followed by 0x80–0x9F).
    public static func first(in text: String) -> Unicode.Scalar? {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte < 0x20 && byte != 0x09 && byte != 0x0A { return Unicode.Scalar(byte) }
            if byte == 0x7F { return Unicode.Scalar(byte) }
            if previous == 0xC2 && (0x80...0x9F).contains(byte) { return Unicode.Scalar(byte) }
            previous = byte
        }
        return nil
    }

    /// `U+001B`.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `text` with every refused scalar written as `\u{1B}`, so that printing it shows the
    /// character instead of acting on it.
    public static func escaped(_ text: String) -> String {
        guard first(in: text) != nil else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isRefused(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

/// The bounds every value type has, beyond the ones a field's type names.
public enum ValueLimits {
    /// The most UTF-8 bytes a string of `characters` characters may take: four per character,
    /// enough for any script and most emoji.
    public static func maxUTF8Bytes(forCharacters characters: Int) -> Int {
        characters.multipliedReportingOverflow(by: 4).overflow ? Int.max : characters * 4
    }

    /// The largest cumulative increment or decrement total a replica may publish for a counter
    /// (10^15): totals stay exact in every JSON reader, and sums over thousands of replicas
    /// cannot overflow 64 bits.
    public static let maxCounterTotal: Int64 = 1_000_000_000_000_000
}

/// Canonical decimal text: no leading zeros, no trailing fraction zeros, no "-0".
public enum Decimals {
    public static let maxDigits = 30

    public static func canonical(_ text: String) -> String? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" { negative = true; rest.removeFirst() } else if rest.first == "+" { rest.removeFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        guard whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        guard whole.count + fraction.count <= maxDigits else { return nil }
        var wholeDigits = whole.drop { $0 == "0" }
        if wholeDigits.isEmpty { wholeDigits = "0" }
        var fractionDigits = fraction
        while fractionDigits.last == "0" { fractionDigits.removeLast() }
        let magnitude = fractionDigits.isEmpty ? String(wholeDigits) : "\(wholeDigits).\(fractionDigits)"
        return negative && magnitude != "0" ? "-" + magnitude : magnitude
    }

    /// The value as a Double, for reports.
    public static func double(_ text: String) -> Double? { Double(text) }
}

/// Calendar text checks without a calendar: the forms FieldSync stores.
public enum Dates {
    public static func isValidDay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        guard let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]) else { return false }
        guard year >= 1900, year <= 2999, (1...12).contains(month), day >= 1 else { return false }
        return day <= daysIn(month: month, year: year)
    }

    public static func isValidTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return false }
        guard isValidDay(String(decoding: bytes[0..<10], as: UTF8.self)) else { return false }
        guard let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]) else { return false }
        return hour < 24 && minute < 60 && second < 60
    }

    /// The days in a month (1–12) of a year of the Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil and civil_from_days, on the proleptic Gregorian
    // calendar (ISO 8601's).

    /// The days from 1970-01-01 to a date (negative before it).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (before it, for a negative count).
    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A time (milliseconds since 1970-01-01T00:00:00Z) as the schema's UTC timestamp,
    /// `YYYY-MM-DDTHH:MM:SSZ`, the second floored: what `ISO8601DateFormatter` writes with
    /// `.withInternetDateTime` in UTC for the years 1583–9999, without making one (about 100 µs
    /// each on Linux, as much as the rest of a tracked edit that hands its time to the rule).
    public static func timestamp(milliseconds: Int64) -> String {
        func floorDivision(_ value: Int64, _ divisor: Int64) -> Int64 {
            let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
            return remainder < 0 ? quotient - 1 : quotient
        }
        let seconds = floorDivision(milliseconds, 1000)
        let dayCount = Int(floorDivision(seconds, 86_400))
        let secondOfDay = Int(seconds - Int64(dayCount) * 86_400)
        let (year, month, day) = civil(dayCount)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func append(_ number: Int, digits: Int) {
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            let text = String(number.magnitude)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, digits - text.utf8.count)))
            bytes.append(contentsOf: text.utf8)
        }
        append(year, digits: 4)
        bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2)
        bytes.append(UInt8(ascii: "-"))
        append(day, digits: 2)
        bytes.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var result = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
