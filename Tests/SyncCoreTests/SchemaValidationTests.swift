import SyncCore
import Testing

@Suite("Schema validation")
struct SchemaValidationTests {
    static let a = Fixtures.replicaA

    static func lead(_ operations: [FieldOperation], record: RecordID = Fixtures.leadID, counter: UInt64 = 1) -> Change {
        makeChange(record: record, dot: a.dot(counter), hlc: 1, operations)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var label: String
        var change: Change
        var code: ValidationError.Code
        var testDescription: String { "\(code.rawValue): \(label)" }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(label: "unknown entity",
                    change: makeChange(entity: "invoice", dot: a.dot(1), hlc: 1, [assign("total", .int(1))]), code: .unknownEntity),
        InvalidCase(label: "unknown field", change: lead([assign("colour", .string("red"))]), code: .unknownField),
        InvalidCase(label: "integer into a string", change: lead([assign("name", .int(3))]), code: .typeMismatch),
        InvalidCase(label: "string into a bool", change: lead([assign("active", .string("yes"))]), code: .typeMismatch),
        InvalidCase(label: "bool into an integer", change: lead([assign("score", .bool(true))]), code: .typeMismatch),
        InvalidCase(label: "non-canonical decimal", change: lead([assign("amount", .string("1200.50"))]), code: .typeMismatch),
        InvalidCase(label: "decimal as integer", change: lead([assign("amount", .int(1200))]), code: .typeMismatch),
        InvalidCase(label: "Feb 29 of a common year", change: lead([assign("closeDate", .string("2023-02-29"))]), code: .typeMismatch),
        InvalidCase(label: "timestamp without Z", change: lead([assign("lastCall", .string("2024-05-01T10:00:00"))]), code: .typeMismatch),
        InvalidCase(label: "reference not a UUID", change: lead([assign("owner", .string("bob"))]), code: .typeMismatch),
        InvalidCase(label: "uppercase reference",
                    change: lead([assign("owner", .string("0192F0C4-1B2C-7D3E-8F40-000000000001"))]), code: .typeMismatch),
        InvalidCase(label: "assign to a counter", change: lead([assign("visits", .int(3))]), code: .kindMismatch),
        InvalidCase(label: "counter on a register", change: lead([counter("name", increments: 1)]), code: .kindMismatch),
        InvalidCase(label: "add to a register", change: lead([add("stage", "Won")]), code: .kindMismatch),
        InvalidCase(label: "remove from a counter", change: lead([remove("visits", "1")]), code: .kindMismatch),
        InvalidCase(label: "name over 40 characters", change: lead([assign("name", .string(String(repeating: "x", count: 41)))]),
                    code: .valueTooLong),
        InvalidCase(label: "set element over 16 characters", change: lead([add("tags", String(repeating: "é", count: 17))]),
                    code: .valueTooLong),
        InvalidCase(label: "BEL and an ESC sequence in text", change: lead([assign("name", .string("bell\u{07}\u{1B}[31mred"))]),
                    code: .controlCharacter),
        InvalidCase(label: "NUL in text", change: lead([assign("name", .string("a\u{00}b"))]), code: .controlCharacter),
        InvalidCase(label: "carriage return in text", change: lead([assign("name", .string("a\rb"))]), code: .controlCharacter),
        InvalidCase(label: "DEL in text", change: lead([assign("name", .string("a\u{7F}"))]), code: .controlCharacter),
        InvalidCase(label: "C1 CSI in text", change: lead([assign("name", .string("\u{9B}31m"))]), code: .controlCharacter),
        InvalidCase(label: "ESC in a set element", change: lead([add("tags", "\u{1B}[2J")]), code: .controlCharacter),
        InvalidCase(label: "integer above maximum", change: lead([assign("score", .int(101))]), code: .invalidValue),
        InvalidCase(label: "integer below minimum", change: lead([assign("score", .int(-1))]), code: .invalidValue),
        InvalidCase(label: "enum case not listed", change: lead([assign("stage", .string("Maybe"))]), code: .invalidValue),
        InvalidCase(label: "enum case in the wrong case", change: lead([assign("stage", .string("won"))]), code: .invalidValue),
        InvalidCase(label: "negative counter totals", change: lead([counter("visits", increments: 1, decrements: -1)]), code: .invalidValue),
        InvalidCase(label: "clearing a required field", change: lead([assign("name", .null)]), code: .missingRequiredField),
        InvalidCase(label: "an empty required field", change: lead([assign("name", .string(""))]), code: .missingRequiredField),
        InvalidCase(label: "a required field of blanks", change: lead([assign("name", .string(" \t "))]), code: .missingRequiredField),
        InvalidCase(label: "writing reference data",
                    change: makeChange(entity: "product", dot: a.dot(1), hlc: 1, [assign("sku", .string("P-1"))]), code: .readOnlyEntity),
        InvalidCase(label: "uppercase record id", change: lead([assign("name", .string("x"))], record: "0192F0C4-1B2C-7D3E-8F40-000000000001"),
                    code: .invalidRecordID),
        InvalidCase(label: "record id not a UUID", change: lead([assign("name", .string("x"))], record: "lead-1"), code: .invalidRecordID),
        InvalidCase(label: "record id with braces",
                    change: lead([assign("name", .string("x"))], record: "{192f0c4-1b2c-7d3e-8f40-00000000001}"), code: .invalidRecordID),
        InvalidCase(label: "more operations than allowed",
                    change: lead((0...TestSchema.maxOperations).map { add("tags", "t\($0)") }), code: .tooManyOperations),
        InvalidCase(label: "dot counter zero", change: lead([assign("name", .string("x"))], counter: 0), code: .malformedChange),
        InvalidCase(label: "delete with another operation", change: lead([.delete, assign("name", .string("x"))]), code: .malformedChange),
        InvalidCase(label: "context covers the change's own dot",
                    change: makeChange(dot: a.dot(3), hlc: 1, context: VersionVector([a: 3]), [assign("name", .string("x"))]),
                    code: .malformedChange),
        InvalidCase(label: "context ahead of the change's own dot",
                    change: makeChange(dot: a.dot(3), hlc: 1, context: VersionVector([a: 9]), [.delete]), code: .malformedChange),
        InvalidCase(label: "field written twice", change: lead([assign("name", .string("x")), assign("name", .string("y"))]),
                    code: .malformedChange),
    ]

    @Test("Each invalid change is refused with its stable code", arguments: invalidCases)
    func invalidChange(_ example: InvalidCase) {
        var message = ""
        let code = validationCode {
            do throws(ValidationError) {
                try TestSchema.schema.validate(example.change)
            } catch {
                message = error.description
                throw error
            }
        }
        #expect(code == example.code)
        #expect(message.hasPrefix("\(example.code.rawValue): "))
        #expect(message.count > example.code.rawValue.count + 2, "a human message follows the code")
    }

    static let validChanges: [Change] = [
        lead([assign("name", .string("Acme")), assign("stage", .string("Won")), assign("amount", .string("1200.5")),
              assign("closeDate", .string("2024-02-29")), assign("lastCall", .string("2024-02-29T23:59:59Z")),
              assign("active", .bool(false)), assign("score", .int(100)),
              assign("owner", .string("0192f0c4-1b2c-7d3e-8f40-000000000009"))]),
        lead([assign("stage", .null), assign("amount", .null)]),
        lead([counter("visits", increments: 0, decrements: 0), add("tags", "vip"), add("tags", "hot"), remove("tags", "cold")]),
        lead([add("tags", "vip"), remove("tags", "vip")]),
        lead([.delete]),
        makeChange(dot: a.dot(4), hlc: 1, context: VersionVector([a: 3, Fixtures.replicaB: 9]), [assign("name", .string("x"))]),
        lead(Array(repeating: add("tags", "vip"), count: TestSchema.maxOperations)),
        makeChange(entity: "task", record: Fixtures.taskID, dot: a.dot(2), hlc: 1, [assign("title", .string("Call back"))]),
    ]

    @Test("Valid changes pass", arguments: validChanges)
    func validChange(_ change: Change) {
        #expect(validationCode { try TestSchema.schema.validate(change) } == nil)
    }

    @Test("The server may write reference data")
    func serverWritesReadOnly() {
        let change = makeChange(entity: "product", dot: Self.a.dot(1), hlc: 1, [assign("sku", .string("P-1"))])
        #expect(validationCode { try TestSchema.schema.validate(change, allowReadOnly: true) } == nil)
    }

    @Test("Text may hold tabs, line breaks and any script, and is shown with other controls escaped")
    func controlCharacters() {
        let fine = Self.lead([assign("name", .string("上海\t华科\n电子 é 😀 \u{A0}"))])
        #expect(validationCode { try TestSchema.schema.validate(fine) } == nil)
        #expect(ControlCharacters.first(in: "ok\tok\n上海") == nil)
        #expect(ControlCharacters.first(in: "x\u{85}") == Unicode.Scalar(0x85))
        #expect(ControlCharacters.escaped("bell\u{07}\u{1B}[31mred\u{9B}\n") == "bell\\u{7}\\u{1B}[31mred\\u{9B}\n")
        #expect(ControlCharacters.escaped("上海\t华科") == "上海\t华科")
        #expect(ControlCharacters.name(Unicode.Scalar(0x1B)) == "U+001B")
    }

    @Test("Every code has a distinct snake_case raw value")
    func codesAreStable() {
        let raw = ValidationError.Code.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(raw.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
    }
}
