import Foundation
import SyncCore
import Testing

@Suite("Value and change coding")
struct ChangeCodingTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB

    @Test(
        "Every value round-trips through JSON as itself, not as a look-alike",
        arguments: [
            Value.null, .bool(true), .bool(false), .int(0), .int(1), .int(-1),
            .int(Int64.max), .int(Int64.min), .string(""), .string("1"), .string("true"),
            .string("null"), .string("Zoë \"quoted\" ✓"),
        ]
    )
    func valueRoundTrip(value: Value) throws {
        let data = try stableJSON([value])
        let decoded = try JSONDecoder().decode([Value].self, from: data)
        #expect(decoded == [value], "\(String(decoding: data, as: UTF8.self)) decoded as \(decoded)")
    }

    @Test("Values encode as plain JSON scalars")
    func valueJSONForm() throws {
        #expect(try stableJSONText([Value.null, .bool(true), .int(42), .string("42")]) == #"[null,true,42,"42"]"#)
    }

    @Test("A fractional number is refused: decimals travel as strings", arguments: ["1.5", "[1]", #"{"x":1}"#])
    func valueRefusesOtherJSON(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Value].self, from: Data("[\(json)]".utf8))
        }
    }

    var sampleChange: Change {
        Change(
            entity: "lead",
            recordID: Fixtures.leadID,
            dot: a.dot(3),
            hlc: HLC(physical: 1_700_000_000_000, logical: 2),
            context: VersionVector([a: 2, b: 1]),
            operations: [
                assign("name", .string("Acme")),
                assign("amount", .null),
                counter("visits", increments: 3, decrements: 1),
                add("tags", "vip"),
                remove("tags", "cold"),
            ]
        )
    }

    @Test("A change has one stable JSON text")
    func changeJSONText() throws {
        let expected = #"{"ctx":{"\#(a)":2,"\#(b)":1},"dot":{"c":3,"r":"\#(a)"},"entity":"lead","hlc":{"ms":1700000000000,"n":2},"#
            + #""id":"\#(Fixtures.leadID)","ops":[{"field":"name","op":"set","value":"Acme"},"#
            + #"{"field":"amount","op":"set","value":null},"#
            + #"{"dec":1,"field":"visits","inc":3,"op":"counter"},"#
            + #"{"field":"tags","op":"add","value":"vip"},"#
            + #"{"field":"tags","op":"remove","value":"cold"}]}"#
        #expect(try stableJSONText(sampleChange) == expected)
    }

    @Test("A delete encodes as a bare operation")
    func deleteJSONText() throws {
        let change = makeChange(dot: b.dot(1), hlc: 5, [.delete])
        #expect(try stableJSONText(change.operations) == #"[{"op":"delete"}]"#)
        let decoded = try JSONDecoder().decode(Change.self, from: stableJSON(change))
        #expect(decoded == change)
        #expect(decoded.isDelete)
        #expect(decoded.fields.isEmpty)
    }

    @Test("A change round-trips and re-encodes to the same bytes")
    func changeRoundTrip() throws {
        let data = try stableJSON(sampleChange)
        let decoded = try JSONDecoder().decode(Change.self, from: data)
        #expect(decoded == sampleChange)
        #expect(try stableJSON(decoded) == data)
    }

    @Test("A set operation without a value clears the field")
    func missingValueIsNull() throws {
        let json = #"{"field":"amount","op":"set"}"#
        let operation = try JSONDecoder().decode(FieldOperation.self, from: Data(json.utf8))
        #expect(operation == assign("amount", .null))
    }

    @Test(
        "Malformed operations are refused",
        arguments: [
            #"{"field":"name","op":"upsert","value":1}"#,
            #"{"op":"set","value":1}"#,
            #"{"field":"visits","op":"counter","inc":1}"#,
            #"{"field":"tags","op":"add"}"#,
            #"{"field":"tags","op":"add","value":3}"#,
        ]
    )
    func malformedOperations(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FieldOperation.self, from: Data(json.utf8))
        }
    }

    @Test("A record state round-trips through its stable JSON")
    func recordStateRoundTrip() throws {
        let concurrent = makeChange(dot: b.dot(1), hlc: 7, [assign("name", .string("Globex")), add("tags", "hot")])
        let state = try applying([sampleChange, concurrent], to: Fixtures.lead())
        let data = try stableJSON(state)
        let decoded = try JSONDecoder().decode(RecordState.self, from: data)
        #expect(decoded == state)
        #expect(try stableJSON(decoded) == data)
    }
}
