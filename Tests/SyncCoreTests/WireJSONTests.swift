import Foundation
import SyncCore
import Testing

/// `JSONText` (writer) and `JSONReader` (reader) against `JSONEncoder`/`JSONDecoder`, the
/// reference for the wire form.
@Suite("Wire JSON writer and reader")
struct WireJSONTests {
    @Test("Trace states and changes: the writer writes JSONEncoder's bytes, the reader reads them back", arguments: PropertySeeds.all.prefix(60))
    func traceStates(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        try trace.runRandomSteps()
        for replica in trace.replicas {
            for state in replica.records.values {
                var text = JSONText()
                text.recordState(state)
                try #require(text.text == (try stableJSONText(state)), "seed \(seed): \(state.id) written differently")
                try #require(try RecordState(jsonText: text.text) == state, "seed \(seed): \(state.id) read differently")
                try #require(try JSONDecoder().decode(RecordState.self, from: Data(text.bytes)) == state)
            }
        }
        for change in trace.changes {
            var text = JSONText()
            text.change(change)
            try #require(text.text == (try stableJSONText(change)), "seed \(seed): change \(change.dot) written differently")
            try #require(try Change(jsonText: text.text) == change)
        }
    }

    @Test("Every value kind, escapes and non-ASCII text survive both ways")
    func everyKind() throws {
        let a = Fixtures.replicaA
        let b = Fixtures.replicaB
        let state = try applying([
            makeChange(dot: a.dot(1), hlc: 1_700_000_000_000, [
                assign("name", .string("Ünïcode \"quoted\" \\ / \n\t\u{1}\u{7f} 上海 😀")), assign("stage", .null), assign("amount", .int(-42)),
                assign("vip", .bool(true)), counter("visits", increments: 3, decrements: 1), add("tags", "hot"), add("tags", "华东"),
            ]),
            makeChange(dot: b.dot(7), hlc: -5, [assign("name", .string("B")), assign("vip", .bool(false)), add("tags", "cold"), counter("visits", increments: Int64.max)]),
        ], to: Fixtures.lead())
        var text = JSONText()
        text.recordState(state)
        #expect(try RecordState(jsonText: text.text) == state)
        #expect(try JSONDecoder().decode(RecordState.self, from: Data(text.bytes)) == state)
        // What JSONEncoder writes (its own key order for non-ASCII keys) reads the same.
        #expect(try RecordState(jsonText: stableJSONText(state)) == state)
        // Escapes JSONEncoder never writes but other writers may.
        let escaped = #"{"ctx":{},"dot":{"c":1,"r":"0192f0c4-1b2c-7d3e-8f40-00000000000a"},"entity":"lead","hlc":{"ms":5,"n":0},"id":"x","ops":[{"field":"name","op":"set","value":"\u00e9\ud83d\ude00\/\b\f\r"}]}"#
        let change = try Change(jsonText: escaped)
        #expect(change == (try JSONDecoder().decode(Change.self, from: Data(escaped.utf8))))
        #expect(change.operations.first?.operation == .assign(.string("é😀/\u{8}\u{c}\r")))
    }

    @Test("A conflict-log entry's competitors and users: the writer writes JSONEncoder's bytes, optional authors' members left out")
    func competitorsAndUsers() throws {
        let a = Fixtures.replicaA
        let b = Fixtures.replicaB
        let authors = [
            ChangeAuthorInfo(),
            ChangeAuthorInfo(user: "alice"),
            ChangeAuthorInfo(device: a.rawValue, deviceName: "王伟的手机 \"2\"", receivedAt: 1_700_000_000_123),
            ChangeAuthorInfo(user: "bob/东区", device: b.rawValue, deviceName: "tab\there", receivedAt: -1, sequence: 42),
            ChangeAuthorInfo(sequence: 0),
        ]
        let values: [Value] = [.null, .bool(true), .bool(false), .int(-7), .string("上海 \\ / \u{1} 😀")]
        var competitors: [CompetingValue] = []
        for (index, author) in authors.enumerated() {
            competitors.append(CompetingValue(
                entity: index % 2 == 0 ? "contact" : "account", recordID: "r\(index)", field: index == 0 ? "" : "phone",
                value: values[index % values.count], label: "值 \(index) \"quoted\"", dot: (index % 2 == 0 ? a : b).dot(UInt64(index + 1)),
                hlc: HLC(physical: 1_700_000_000_000 + Int64(index), logical: UInt32(index)), author: author, isDisplayed: index % 3 == 0
            ))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(JSONText.encodedIfSupported(competitors) == Array(try encoder.encode(competitors)))
        #expect(JSONText.encodedIfSupported([CompetingValue]()) == Array(try encoder.encode([CompetingValue]())))
        let users = ["alice", "王伟", "with \"quotes\" and / and \\", ""]
        #expect(JSONText.encodedIfSupported(users) == Array(try encoder.encode(users)))
        #expect(try JSONDecoder().decode([CompetingValue].self, from: Data(try #require(JSONText.encodedIfSupported(competitors)))) == competitors)
    }

    @Test("A whole sync answer: the writer writes JSONEncoder's bytes, the reader reads them back")
    func syncResponse() throws {
        let a = Fixtures.replicaA
        let change = makeChange(dot: a.dot(3), hlc: 1_700_000_000_001, [assign("name", .string("Acme")), counter("visits", increments: 2), remove("tags", "x")])
        let deletion = makeChange(dot: a.dot(4), hlc: 1_700_000_000_002, context: VersionVector([a: 3]), [FieldOperation(field: "", operation: .delete)])
        let state = try applying([change], to: Fixtures.lead())
        let full = SyncResponse(
            serverTime: 1_700_000_000_500,
            results: [
                ChangeResult(dot: a.dot(3), status: .accepted, sequence: 12, hlc: HLC(physical: 1_700_000_000_001)),
                ChangeResult(dot: a.dot(4), status: .rejected, code: "clock_skew", message: "the change is \"ahead\""),
                ChangeResult(dot: a.dot(5), status: .duplicate),
                ChangeResult(dot: a.dot(6), status: .duplicate, hlc: HLC(physical: 1_700_000_000_003, logical: 2)),
            ],
            changes: [LogEntry(sequence: 12, change: change), LogEntry(sequence: 13, change: deletion)],
            cursor: 13, hasMore: true,
            snapshot: SnapshotPage(records: [state], next: BootstrapCursor(highWater: 9, afterEntity: "lead", afterID: "z", phase: .priority, priority: ["p1", "p2"], day: "2026-11-23"), highWater: 9),
            evictions: [RecordReference(entity: "account", id: "gone")], arrivals: [state], resync: true
        )
        let sparse = SyncResponse(serverTime: 5, results: [], changes: [], cursor: nil, hasMore: false, snapshot: SnapshotPage(records: [], next: BootstrapCursor(), highWater: 0))
        for response in [full, sparse, SyncResponse(serverTime: 0, results: [], changes: [], cursor: 0, hasMore: false)] {
            var text = JSONText()
            text.syncResponse(EncodedSyncResponse(response))
            #expect(text.text == (try stableJSONText(response)))
            #expect(try EncodedSyncResponse(response).decoded() == response)
            #expect(try SyncResponse(json: JSONReader.parse(text.bytes)) == response)
        }
        // Keys added after protocol 1 may be absent, unknown keys are ignored.
        let old = #"{"protocol":1,"serverTime":7,"results":[],"changes":[],"hasMore":false,"future":{"x":[1,2]}}"#
        #expect(try SyncResponse(json: JSONReader.parse(old)) == SyncResponse(serverTime: 7, results: [], changes: [], cursor: nil, hasMore: false))
        #expect(throws: JSONReadError.self) { try SyncResponse(json: JSONReader.parse(#"{"protocol":1,"serverTime":7,"changes":[],"hasMore":false}"#)) }
    }

    @Test("A sync request: the writer writes JSONEncoder's bytes, the reader reads them back")
    func syncRequest() throws {
        let a = Fixtures.replicaA
        let change = makeChange(dot: a.dot(3), hlc: 1_700_000_000_001, [assign("name", .string("Acme")), add("tags", "x")])
        let requests = [
            SyncRequest(replica: a, clientTime: 1_700_000_000_000, cursor: 41, changes: [change, change], limit: 500),
            SyncRequest(replica: a, clientTime: -3, cursor: nil, changes: [], bootstrap: BootstrapCursor(day: "2026-11-23")),
            SyncRequest(replica: a, clientTime: 0, cursor: nil, changes: [change], bootstrap: BootstrapCursor(highWater: 3, afterEntity: "lead", afterID: "q", phase: .rest, priority: [])),
        ]
        for request in requests {
            var text = JSONText()
            text.syncRequest(request)
            #expect(text.text == (try stableJSONText(request)))
            #expect(try SyncRequest(jsonBytes: text.bytes) == request)
        }
        #expect(throws: JSONReadError.self) { try SyncRequest(jsonText: #"{"protocol":1,"replica":"x","clientTime":0,"changes":[]}"#) }
    }

    @Test("Malformed text and wrong shapes are refused with a reason, never trapped on")
    func malformed() throws {
        let valid = #"{"ctx":{},"dot":{"c":1,"r":"0192f0c4-1b2c-7d3e-8f40-00000000000a"},"entity":"lead","hlc":{"ms":5,"n":0},"id":"x","ops":[{"field":"n","op":"set","value":7}]}"#
        #expect(try Change(jsonText: valid).operations.count == 1)
        let bytes = Array(valid.utf8)
        for length in 0..<bytes.count {
            #expect(throws: JSONReadError.self) { try Change(json: JSONReader.parse(Array(bytes.prefix(length)))) }
        }
        let bad = [
            valid + "x", valid.replacingOccurrences(of: "\"value\":7", with: "\"value\":7.5"),
            valid.replacingOccurrences(of: "\"value\":7", with: "\"value\":[7]"),
            valid.replacingOccurrences(of: "\"value\":7", with: "\"value\":07"),
            valid.replacingOccurrences(of: "\"value\":7", with: "\"value\":99999999999999999999"),
            valid.replacingOccurrences(of: "\"c\":1", with: "\"c\":-1"),
            valid.replacingOccurrences(of: "\"n\":0", with: "\"n\":4294967296"),
            valid.replacingOccurrences(of: "\"op\":\"set\"", with: "\"op\":\"rename\""),
            valid.replacingOccurrences(of: "\"id\":\"x\"", with: "\"id\":null"),
            valid.replacingOccurrences(of: "\"id\":\"x\"", with: "\"id\":\"\\ud800\""),
            valid.replacingOccurrences(of: "\"id\":\"x\"", with: "\"id\":\"\\q\""),
            valid.replacingOccurrences(of: "\"id\":\"x\"", with: "\"id\":\"a\u{1}b\""),
            valid.replacingOccurrences(of: "0192f0c4", with: "0192f0cz"),
            valid.replacingOccurrences(of: "\"ctx\":{}", with: "\"ctx\":{\"0192f0c4-1b2c-7d3e-8f40-00000000000a\":\"1\"}"),
            "[]", "", "   ", "nul", String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
        ]
        for text in bad {
            #expect(throws: JSONReadError.self, "\(text)") { try Change(jsonText: text) }
            #expect(throws: (any Error).self, "JSONDecoder agrees: \(text)") { try JSONDecoder().decode(Change.self, from: Data(text.utf8)) }
        }
        // Stricter than JSONDecoder, which reads 1e3 as the integer 1000: the wire types' numbers
        // are integers, and no writer of ours writes an exponent.
        #expect(throws: JSONReadError.self) { try Change(jsonText: valid.replacingOccurrences(of: "\"value\":7", with: "\"value\":1e3")) }
        #expect(throws: JSONReadError.self) { try JSONReader.parse([0x22, 0xff, 0xfe, 0x22]) }
        #expect(try JSONReader.parse("-9223372036854775808").intValue == Int64.min)
        let object = try #require(try JSONReader.parse(" {\"a\" : [ true , false , null ] } ").objectValue)
        #expect(object.map(\.key) == ["a"])
        let elements = try #require(object["a"]?.arrayValue)
        #expect(elements.map(\.boolValue) == [true, false, nil] && elements.map(\.isNull) == [false, false, true])
        // Nodes compare by value (the fuzz target's check that strict and lenient readings agree).
        #expect(try JSONReader.parse(#"{"a":[1,"x\u0079"],"b":{}}"#) == JSONReader.parse(#" { "a" : [ 1 , "xy" ] , "b" : { } } "#))
        for other in [#"{"a":[1,"x"],"b":{}}"#, #"{"a":[1,"xy",null],"b":{}}"#, #"{"b":{},"a":[1,"xy"]}"#, #"{"a":[true,"xy"],"b":{}}"#] {
            #expect(try JSONReader.parse(#"{"a":[1,"xy"],"b":{}}"#) != JSONReader.parse(other), "\(other)")
        }
    }

    @Test("Keys and replicas are found as JSONDecoder finds them: escaped keys, escaped replica text, a repeated key's first value, a replica spelt twice")
    func lookupsAsJSONDecoder() throws {
        let replica = "0192f0c4-1b2c-7d3e-8f40-00000000000a"
        let texts = [
            // "r" and "c" written with escapes, and a replica whose first digit is escaped.
            #"{"ctx":{},"dot":{"r":"0192f0c4-1b2c-7d3e-8f40-00000000000a","c":1},"entity":"lead","hlc":{"ms":5,"n":0},"id":"x","ops":[]}"#,
            // A key twice in trusted text: the first one counts, as in JSONDecoder.
            #"{"ctx":{},"dot":{"r":"\#(replica)","c":1,"c":9},"entity":"lead","hlc":{"ms":5,"n":0},"id":"x","id":"y","ops":[]}"#,
            // One replica spelt in both cases in a context: the last entry counts, and a zero
            // there leaves the replica out.
            #"{"ctx":{"\#(replica.uppercased())":4,"\#(replica)":0},"dot":{"r":"\#(replica)","c":1},"entity":"lead","hlc":{"ms":5,"n":0},"id":"x","ops":[]}"#,
            #"{"ctx":{"\#(replica)":0,"\#(replica.uppercased())":4},"dot":{"r":"\#(replica)","c":1},"entity":"lead","hlc":{"ms":5,"n":0},"id":"x","ops":[]}"#,
            // Keys that share a prefix or a length with the ones looked up.
            #"{"ctx":{},"dot":{"rr":"x","r":"\#(replica)","cc":2,"c":1},"entity":"lead","entityX":1,"hlc":{"ms":5,"n":0,"m":1},"id":"x","ops":[]}"#,
        ]
        // JSONDecoder reads a context through a dictionary of texts, in no set order, so the
        // two spellings are checked against the document order alone.
        for text in [texts[0], texts[1], texts[4]] {
            let expected = try JSONDecoder().decode(Change.self, from: Data(text.utf8))
            #expect(try Change(jsonText: text) == expected, "\(text)")
        }
        #expect(try Change(jsonText: texts[1]).dot.counter == 1)
        #expect(try Change(jsonText: texts[1]).recordID == "x")
        #expect(try Change(jsonText: texts[2]).context.isEmpty)
        #expect(try Change(jsonText: texts[3]).context.counters == [try #require(ReplicaID(string: replica)): 4])
        let object = try #require(try JSONReader.parse(#"{"":1,"a":2,"ab":3,"ab":4,"b":5}"#).objectValue)
        #expect(object[""]?.intValue == 1)
        #expect(object["ab"]?.intValue == 3)
        #expect(object["b"]?.intValue == 5)
        #expect(object["c"] == nil)
        #expect(object["\u{0}"] == nil)
    }

    @Test("A string's UTF-8 is checked as Swift checks it: every two-byte sequence and 200,000 random longer ones")
    func utf8AsSwiftChecksIt() throws {
        // Bytes a string may hold unescaped: no quote, no backslash, no control character.
        let allowed = (UInt8(0x20)...0xFF).filter { $0 != 0x22 && $0 != 0x5C }
        func agrees(_ inner: [UInt8]) -> Bool {
            let parsed = (try? JSONReader.parse([0x22] + inner + [0x22]))?.stringValue
            let swift = String(validating: inner, as: UTF8.self)
            return parsed == swift
        }
        var disagreements: [[UInt8]] = []
        for first in allowed {
            for second in allowed where !agrees([first, second]) { disagreements.append([first, second]) }
        }
        var rng = SplitMix64(seed: 7)
        // Lead and continuation bytes more often than chance, so that long forms are reached.
        let pool = allowed + Array(0x80...0xBF) + Array(0xC0...0xF7) + Array(0xC0...0xF7)
        for _ in 0..<200_000 {
            let inner = (0..<Int.random(in: 3...6, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
            if !agrees(inner) { disagreements.append(inner) }
        }
        // Longer ones too, which the reader passes eight bytes at a time, mostly ASCII.
        for _ in 0..<50_000 {
            let inner = (0..<Int.random(in: 8...40, using: &rng)).map { _ in
                Int.random(in: 0..<4, using: &rng) == 0 ? pool.randomElement(using: &rng)! : UInt8.random(in: 0x20...0x7E, using: &rng)
            }
            if !agrees(inner.map { $0 == 0x22 || $0 == 0x5C ? UInt8(ascii: "x") : $0 }) { disagreements.append(inner) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    @Test("A quote, a backslash, a control or a non-ASCII byte is found at every position and alignment of a string, as JSONDecoder finds it")
    func specialBytesEverywhere() throws {
        var disagreements: [[UInt8]] = []
        for pad in 0..<8 {
            for length in 1..<20 {
                for position in 0..<length {
                    for special: UInt8 in [0x00, 0x01, 0x1F, 0x22, 0x5C, 0x7F, 0x80, 0xC3, 0xE9, 0xFF] {
                        var inner = Array(repeating: UInt8(ascii: "a"), count: length)
                        inner[position] = special
                        let text = Array(repeating: UInt8(ascii: " "), count: pad) + [0x22] + inner + [0x22]
                        let reference = try? JSONDecoder().decode(String.self, from: Data(text))
                        let read = (try? JSONReader.parse(text))?.stringValue
                        if read != reference { disagreements.append(text) }
                    }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    @Test("The writer escapes a quote, a backslash or a control character at every position of a string, and one or several in a row, as JSONEncoder does")
    func writerEscapesEverywhere() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var disagreements: [String] = []
        for length in 1..<20 {
            for position in 0..<length {
                for special in ["\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\u{c}", "\r", "\u{1f}", "\"", "\\", "\u{7f}", "é", "上", "😀", "\"\\\n"] {
                    var characters = Array(repeating: "a", count: length)
                    characters[position] = special
                    // A second special eight bytes on, so a string holds one in each of two words.
                    if position + 8 < length { characters[position + 8] = "\"" }
                    let text = characters.joined()
                    var written = JSONText()
                    written.string(text)
                    let reference = try encoder.encode(text)
                    if written.bytes != Array(reference) { disagreements.append(text) }
                }
            }
        }
        #expect(disagreements.count == 0, "\(disagreements.prefix(5).map { $0.debugDescription })")
    }

    @Test("A request is checked against its shape while it is parsed, each refusal of its kind and with its JSON path")
    func strictRequests() throws {
        let replica = Fixtures.replicaA
        let head = #""protocol":1,"replica":"\#(replica)","clientTime":1"#
        let change = #"{"entity":"account","id":"x","dot":{"r":"\#(replica)","c":1},"hlc":{"ms":1,"n":0},"ctx":{},"ops":[]}"#
        func refusal(_ text: String) -> JSONReadError? {
            do {
                _ = try SyncRequest(json: JSONReader.parse(text, shape: SyncRequest.shape))
                return nil
            } catch {
                return error
            }
        }
        let valid = "{\(head),\"changes\":[\(change)]}"
        #expect(refusal(valid) == nil)
        // Keys are compared decoded.
        #expect(refusal("{\(head),\"\\u0063ursor\":0,\"changes\":[]}") == nil)
        let cases: [(text: String, kind: JSONReadError.Kind, description: String)] = [
            ("{\(head),\"changes\":[],\"curser\":3}", .unknownKey("curser", allowed: ["bootstrap", "changes", "clientTime", "cursor", "limit", "protocol", "replica"]),
             "unknown key 'curser' in the object at the top level (allowed: bootstrap, changes, clientTime, cursor, limit, protocol, replica)"),
            (valid.replacingOccurrences(of: #""c":1}"#, with: #""c":1,"x":2}"#), .unknownKey("x", allowed: ["c", "r"]),
             "unknown key 'x' in the object at changes[0].dot (allowed: c, r)"),
            ("{\(head),\"changes\":[],\"clientTime\":2}", .duplicateKey("clientTime"), "the key 'clientTime' appears twice in the object at the top level"),
            ("{\(head),\"changes\":[],\"limit\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}", .nestingTooDeep(32),
             "the JSON nests deeper than 32 levels at limit" + String(repeating: "[0]", count: 31)),
            ("{\(head),\"changes\":{}}", .value, "at changes: expected an array"),
            ("{\(head),\"cursor\":1e3,\"changes\":[]}", .value,
             "at cursor: 1e3 is not an integer (numbers are integers written without a fraction or an exponent; decimals travel as strings)"),
            (valid.replacingOccurrences(of: #""r":"\#(replica)""#, with: #""r":"nope""#), .value, "at changes[0].dot.r: not a replica UUID: nope"),
            ("{\(head)}", .value, "at the top level: missing key 'changes'"),
            ("{\(head),\"changes\":[]} {}", .syntax, "unexpected data after the JSON value at byte \(head.utf8.count + 16)"),
        ]
        for (text, kind, description) in cases {
            let error = try #require(refusal(text), "\(text)")
            #expect(error.kind == kind, "\(text)")
            #expect(error.description == description, "\(text)")
        }
        // Without a shape (trusted text) unknown and repeated keys are read: the first one
        // counts, as in JSONDecoder.
        let repeated = "{\(head),\"changes\":[],\"clientTime\":2,\"x\":1}"
        #expect(try SyncRequest(json: JSONReader.parse(repeated)).clientTime == 1)
        #expect(try JSONDecoder().decode(SyncRequest.self, from: Data(repeated.utf8)).clientTime == 1)
    }
}
