/// Cleaning and standardisation of what people type (数据清洗): full-width characters, spaces,
/// phone numbers, e-mail addresses, and the keys that find probable duplicate customers.
///
/// Pure string functions with no locale or Foundation dependency, so that every replica and
/// the server compute the same keys.
public enum Normalization {
    /// Replaces full-width ASCII forms (`ＡＢＣ１２３！`, U+FF01–U+FF5E) with their ASCII
    /// counterparts and the ideographic space (U+3000) with a plain space.
    public static func halfWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E:
                scalars.append(Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar)
            case 0x3000:
                scalars.append(" ")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Trims leading and trailing whitespace and collapses every inner run of whitespace
    /// (spaces, tabs, line breaks, ideographic spaces) into one space.
    public static func collapsingSpaces(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// The standard form of a single-line text: half-width, trimmed, spaces collapsed.
    public static func text(_ text: String) -> String {
        collapsingSpaces(halfWidth(text))
    }

    /// The standard form of a phone number.
    ///
    /// Keeps digits and a leading `+`, drops spaces, dashes, parentheses, dots and anything
    /// else. An international `00` prefix becomes `+`. Chinese numbers (`+86`, `0086`) lose
    /// their country code and are written the domestic way: mobiles as 11 digits
    /// (`13812345678`), landlines with their trunk `0` (`02158881234`), so that a number typed
    /// either way gets the same key. Other countries keep `+` and their code (`+85221234567`).
    public static func phone(_ text: String) -> String {
        let cleaned = halfWidth(text)
        var digits = ""
        var international = false
        for character in cleaned {
            if character == "+" && digits.isEmpty {
                international = true
            } else if character.isASCII, character.isNumber {
                digits.append(character)
            }
        }
        if !international && digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        guard international else { return digits }
        guard digits.hasPrefix("86") else { return digits.isEmpty ? "" : "+" + digits }
        var national = String(digits.dropFirst(2))
        let isMobile = national.count == 11 && national.hasPrefix("1")
        if !isMobile && !national.isEmpty && !national.hasPrefix("0") {
            national = "0" + national
        }
        return national
    }

    /// The standard form of an e-mail address: half-width, trimmed, lowercase.
    public static func email(_ text: String) -> String {
        collapsingSpaces(halfWidth(text)).lowercased()
    }

    /// A comparison key for a name: half-width, lowercase, with every character that is not a
    /// letter or a digit removed (spaces, punctuation, symbols).
    public static func key(_ text: String) -> String {
        String(halfWidth(text).lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// The key that finds probable duplicate customers by name and city: the name's key and
    /// the city's key joined by `|`. A trailing 市 ("city") is dropped from the city, so that
    /// 上海 and 上海市 agree.
    public static func duplicateKey(name: String, city: String?) -> String {
        var cityKey = key(city ?? "")
        if cityKey.count > 1 && cityKey.hasSuffix("市") { cityKey.removeLast() }
        return key(name) + "|" + cityKey
    }
}
