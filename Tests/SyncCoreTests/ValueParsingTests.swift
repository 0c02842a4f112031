import Foundation
import SyncCore
import Testing

@Suite("Parsing typed input into canonical values")
struct ValueParsingTests {
    func parse(_ type: ValueType, _ text: String) -> Result<Value, ValidationError> {
        Result(catching: { () throws(ValidationError) -> Value in try type.parse(text, field: "f") })
    }

    @Test(
        "Decimals parse to their canonical text",
        arguments: [
            ("001200.50", "1200.5"), ("1200", "1200"), (" 42 ", "42"), ("0", "0"), ("-0.0", "0"), ("000", "0"),
            (".5", "0.5"), ("5.", "5"), ("+3.10", "3.1"), ("-007.250", "-7.25"), ("0.000", "0"),
            ("123456789012345678901234567890", "123456789012345678901234567890"),
        ]
    )
    func decimalCanonical(input: String, canonical: String) throws {
        #expect(try parse(.decimal, input).get() == .string(canonical))
        #expect(try parse(.decimal, canonical).get() == .string(canonical), "canonical text parses to itself")
        #expect(Decimals.canonical(input.trimmingCharacters(in: .whitespaces)) == canonical)
    }

    @Test("Text that is not a plain decimal is refused",
          arguments: ["", " ", "abc", "1e3", "1.2.3", "-", "+", ".", "12,5", "1 000", "--1", "0x10", "١٢",
                      "1234567890123456789012345678901"])
    func decimalRefused(input: String) {
        #expect(validationCode { _ = try ValueType.decimal.parse(input, field: "f") } == .typeMismatch)
        #expect(Decimals.canonical(input) == nil)
    }

    @Test(
        "Booleans accept true/false, yes/no, y/n and 1/0 in any case",
        arguments: [
            ("true", true), ("TRUE", true), ("Yes", true), ("y", true), ("1", true), (" yes ", true),
            ("false", false), ("No", false), ("N", false), ("0", false), ("fAlSe", false),
        ]
    )
    func booleans(input: String, expected: Bool) throws {
        #expect(try parse(.bool, input).get() == .bool(expected))
    }

    @Test("Other words are not booleans", arguments: ["maybe", "2", "", "ja", "tru"])
    func notBooleans(input: String) {
        #expect(validationCode { _ = try ValueType.bool.parse(input, field: "f") } == .typeMismatch)
    }

    @Test("Enum cases match case-insensitively and come back in their declared spelling",
          arguments: [("Won", "Won"), ("won", "Won"), ("QUALIFIED", "Qualified"), (" lost ", "Lost")])
    func enumCaseInsensitive(input: String, expected: String) throws {
        #expect(try parse(.enumeration(TestSchema.stages), input).get() == .string(expected))
    }

    @Test("An unknown enum case is an invalid value")
    func enumUnknown() {
        #expect(validationCode { _ = try ValueType.enumeration(TestSchema.stages).parse("Maybe", field: "stage") } == .invalidValue)
    }

    @Test(
        "Dates follow the Gregorian leap year rules",
        arguments: [
            ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
            ("2100-02-29", false), ("2400-02-29", true), ("2023-02-28", true), ("2024-02-30", false),
            ("2024-04-30", true), ("2024-04-31", false), ("2024-12-31", true), ("2024-13-01", false),
            ("2024-00-10", false), ("2024-01-00", false), ("1899-12-31", false), ("1900-01-01", true),
            ("2999-12-31", true), ("3000-01-01", false), ("2024-1-05", false), ("2024/01/05", false),
            ("24-01-2024", false), ("2024-01-0a", false), (" 2024-01-05 ", true),
        ]
    )
    func dates(input: String, valid: Bool) throws {
        let result = parse(.date, input)
        if valid {
            #expect(try result.get() == .string(input.trimmingCharacters(in: .whitespaces)))
        } else {
            #expect(validationCode { _ = try result.get() } == .typeMismatch)
        }
        #expect(Dates.isValidDay(input) == (valid && !input.hasPrefix(" ")))
    }

    @Test(
        "Timestamps are UTC seconds with a Z, on a valid day",
        arguments: [
            ("2024-02-29T23:59:59Z", true), ("2023-02-29T10:00:00Z", false), ("2024-01-01T00:00:00Z", true),
            ("2024-01-01T24:00:00Z", false), ("2024-01-01T10:60:00Z", false), ("2024-01-01T10:00:60Z", false),
            ("2024-01-01 10:00:00Z", false), ("2024-01-01T10:00:00", false), ("2024-01-01T10:00:00+01:00", false),
            ("2024-01-01T10:00:00.5Z", false), ("2024-01-01t10:00:00z", false),
        ]
    )
    func timestamps(input: String, valid: Bool) {
        #expect(Dates.isValidTimestamp(input) == valid)
        #expect((validationCode { _ = try ValueType.timestamp.parse(input, field: "f") } == nil) == valid)
    }

    @Test("Integers parse within their range")
    func integers() throws {
        let score = ValueType.int(min: 0, max: 100)
        #expect(try parse(score, " 42 ").get() == .int(42))
        #expect(try parse(.integer, "-7").get() == .int(-7))
        #expect(validationCode { _ = try score.parse("4.2", field: "f") } == .typeMismatch)
        #expect(validationCode { _ = try score.parse("101", field: "f") } == .invalidValue)
        #expect(validationCode { _ = try ValueType.integer.parse("99999999999999999999", field: "f") } == .typeMismatch)
    }

    @Test("Strings are trimmed and limited in characters, not bytes")
    func strings() throws {
        let short = ValueType.string(maxLength: 3)
        #expect(try parse(short, "  abc  ").get() == .string("abc"))
        #expect(try parse(short, "äöü").get() == .string("äöü"))
        #expect(validationCode { _ = try short.parse("abcd", field: "f") } == .valueTooLong)
    }

    @Test("References are lowercased UUIDs")
    func references() throws {
        let type = ValueType.reference("user")
        #expect(try parse(type, "0192F0C4-1B2C-7D3E-8F40-00000000000A").get() == .string("0192f0c4-1b2c-7d3e-8f40-00000000000a"))
        #expect(validationCode { _ = try type.parse("user-7", field: "f") } == .typeMismatch)
    }

    @Test("What parse returns always validates", arguments: [
        (ValueType.decimal, "00.10"), (.bool, "YES"), (.enumeration(TestSchema.stages), "new"),
        (.date, "2000-02-29"), (.timestamp, "2000-02-29T00:00:00Z"), (.int(min: 0, max: 9), "9"), (.text, " x "),
    ])
    func parsedValuesValidate(type: ValueType, input: String) throws {
        let value = try parse(type, input).get()
        #expect(validationCode { try type.validate(value, field: "f") } == nil)
    }
}
