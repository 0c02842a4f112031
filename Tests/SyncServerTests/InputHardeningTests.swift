import FieldSyncTestSupport
import CRM
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

/// Untrusted input: strict JSON, bounds on every value type, SQL never built from data.
@Suite("Input hardening")
struct InputHardeningTests {
    enum StrictCase: String, CaseIterable, CustomTestStringConvertible {
        case unknownTopLevelKey, unknownNestedKey, duplicateKey, tooDeep, trailingGarbage, controlCharacter, loneBracket
        // Numbers are integers on this wire, and a list is a list: JSONDecoder would read 1e3
        // and 1629.0 as integers and {} as an empty list, so these are refused before it.
        case exponentCursor, fractionCursor, exponentInChange, changesObject, changesString, bootstrapArray

        var testDescription: String { rawValue }

        func body(replica: ReplicaID) -> String {
            let head = #""protocol":1,"replica":"\#(replica)","clientTime":1,"cursor":0"#
            switch self {
            case .unknownTopLevelKey: return "{\(head),\"changes\":[],\"curser\":3}"
            case .unknownNestedKey:
                return #"{\#(head),"changes":[{"entity":"account","id":"0192f0c4-0000-7000-8000-000000000001","dot":{"r":"\#(replica)","c":1,"x":2},"hlc":{"ms":1,"n":0},"ctx":{},"ops":[]}]}"#
            case .duplicateKey: return "{\(head),\"changes\":[],\"cursor\":5}"
            case .tooDeep: return "{\(head),\"changes\":[],\"limit\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
            case .trailingGarbage: return "{\(head),\"changes\":[]} {}"
            case .controlCharacter: return "{\(head),\"changes\":[],\"bootstrap\":{\"afterEntity\":\"a\u{01}\"}}"
            case .loneBracket: return "{\(head),\"changes\":[}"
            case .exponentCursor: return #"{"protocol":1,"replica":"\#(replica)","clientTime":1,"cursor":1e3,"changes":[]}"#
            case .fractionCursor: return #"{"protocol":1,"replica":"\#(replica)","clientTime":1,"cursor":1629.0,"changes":[]}"#
            case .exponentInChange:
                return #"{\#(head),"changes":[{"entity":"account","id":"0192f0c4-0000-7000-8000-000000000001","dot":{"r":"\#(replica)","c":1E0},"hlc":{"ms":1,"n":0},"ctx":{},"ops":[]}]}"#
            case .changesObject: return "{\(head),\"changes\":{}}"
            case .changesString: return "{\(head),\"changes\":\"[]\"}"
            case .bootstrapArray: return "{\(head),\"changes\":[],\"bootstrap\":[]}"
            }
        }

        var expected: String {
            switch self {
            case .unknownTopLevelKey, .unknownNestedKey: return "unknown_key"
            case .duplicateKey: return "duplicate_key"
            case .tooDeep: return "nesting_too_deep"
            case .trailingGarbage, .controlCharacter, .loneBracket, .exponentCursor, .fractionCursor, .exponentInChange,
                 .changesObject, .changesString, .bootstrapArray:
                return "malformed_json"
            }
        }
    }

    @Test("strict JSON: each problem has its own 400 code, names where it is, and changes nothing", arguments: StrictCase.allCases)
    func strictJSON(_ strict: StrictCase) async throws {
        try await withFixture { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let alice = try await fixture.enroll("alice")
                let before = try await fixture.dump()
                let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(alice.token)"]
                let response = try await client.execute(uri: "/v1/sync", method: .post, headers: headers, body: ByteBuffer(string: strict.body(replica: alice.replica)))
                #expect(response.status == .badRequest)
                let error = try decodeBody(ErrorBody.self, response).error
                #expect(error.code == strict.expected, "\(error.message)")
                if strict == .unknownNestedKey { #expect(error.message.contains("changes[0].dot"), "\(error.message)") }
                if strict == .exponentCursor { #expect(error.message.contains("at cursor: 1e3 is not an integer"), "\(error.message)") }
                if strict == .exponentInChange { #expect(error.message.contains("changes[0].dot.c"), "\(error.message)") }
                if strict == .changesObject { #expect(error.message.contains("at changes: expected an array"), "\(error.message)") }
                #expect(try await fixture.dump() == before)
            }
        }
    }

    @Test("keys are compared decoded, so an escaped known key is accepted")
    func escapedKeys() throws {
        let body = #"{"protocol":1,"replica":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","clientTime":1,"\u0063ursor":0,"changes":[]}"#
        _ = try RequestBodyReader.parse(ByteBuffer(string: body), shape: RequestShapes.syncRequest)
        #expect(throws: ServerError.self) {
            try RequestBodyReader.parse(ByteBuffer(string: #"{"\ud83d\ude00":1}"#), shape: RequestShapes.syncRequest)
        }
    }

    @Test("the strict reader accepts what JSONDecoder writes, for every request type")
    func strictAcceptsValidRequests() throws {
        let replica = ReplicaID()
        let change = Change(
            entity: "account", recordID: newRecordID(), dot: Dot(replica: replica, counter: 3), hlc: HLC(physical: 5, logical: 1),
            context: VersionVector([replica: 2]),
            operations: [
                FieldOperation(field: "name", operation: .assign(.string("Acme \"quoted\" \\ 名字 😀"))),
                FieldOperation(field: "samples_given", operation: .counter(increments: 5, decrements: 1)),
                FieldOperation(field: "tags", operation: .add("vip")), .delete,
            ]
        )
        let request = SyncRequest(replica: replica, clientTime: 1, cursor: nil, changes: [change], bootstrap: BootstrapCursor(highWater: 3, afterEntity: "a", afterID: "b"), limit: 10)
        #expect(try RequestBodyReader.read(SyncRequest.self, shape: RequestShapes.syncRequest, from: ByteBuffer(bytes: try JSONEncoder().encode(request))) == request)
        let enroll = EnrollRequest(code: "c", replica: replica, deviceName: "d")
        #expect(try RequestBodyReader.read(EnrollRequest.self, shape: RequestShapes.enrollRequest, from: ByteBuffer(bytes: try JSONEncoder().encode(enroll))) == enroll)
    }

    @Test("enrollment and admin bodies are strict too", arguments: StorageBackend.all)
    func strictOtherEndpoints(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let root = try await fixture.enroll("root", role: .admin, territories: [])
                let enroll = try await client.execute(
                    uri: "/v1/enroll", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"code":"x","replica":"\#(ReplicaID())","deviceName":"d","admin":true}"#)
                )
                #expect(try errorCode(enroll) == "unknown_key")
                let user = try await client.execute(
                    uri: "/v1/admin/users", method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(root.token)"],
                    body: ByteBuffer(string: #"{"name":"eve","role":"admin","territories":[],"superuser":true}"#)
                )
                #expect(try errorCode(user) == "unknown_key")
                #expect(try await fixture.storage.user(named: "eve") == nil)
            }
        }
    }

    /// A value just past the bound of `type`, or nil when the type has no such value.
    static func oversized(_ type: ValueType) -> [Value] {
        switch type {
        case .string(let maxLength):
            return [.string(String(repeating: "x", count: maxLength + 1)), .string(String(repeating: "名", count: maxLength + 1))]
        case .int(let min, let max):
            return (max < Int64.max ? [Value.int(max + 1)] : []) + (min > Int64.min ? [Value.int(min - 1)] : [])
        case .decimal:
            return [.string(String(repeating: "9", count: Decimals.maxDigits + 1)), .string("1e400")]
        case .bool:
            return [.string("true")]
        case .date:
            return [.string("2026-02-30"), .string(String(repeating: "2", count: 11))]
        case .timestamp:
            return [.string("2026-01-01T25:00:00Z"), .string("2026-01-01T00:00:00.000000000Z")]
        case .enumeration(let allowed):
            return [.string((allowed.max { $0.count < $1.count } ?? "") + "x")]
        case .reference:
            return [.string("0192F0C4-0000-7000-8000-000000000001"), .string(String(repeating: "a", count: 37))]
        }
    }

    @Test("every field of every entity has a bound: the value just past it is refused")
    func everyValueTypeIsBounded() throws {
        var checked = 0
        for entity in CRMSchema.schema.entities {
            for field in entity.fields {
                switch field.kind {
                case .register:
                    for value in Self.oversized(field.type) {
                        #expect(throws: ValidationError.self, "\(entity.name).\(field.name) accepts \(value)") {
                            try field.validate(.assign(value))
                        }
                        checked += 1
                    }
                    if case .string(let maxLength) = field.type {
                        // Combining marks: few characters, many bytes.
                        let heavy = "e" + String(repeating: "\u{301}", count: maxLength * 4)
                        #expect(throws: ValidationError.self) { try field.validate(.assign(.string(heavy))) }
                        try field.validate(.assign(.string(String(repeating: "名", count: maxLength))))
                    }
                case .set:
                    for value in Self.oversized(field.type) {
                        guard case .string(let element) = value else { continue }
                        #expect(throws: ValidationError.self) { try field.validate(.add(element)) }
                        checked += 1
                    }
                case .counter:
                    #expect(throws: ValidationError.self) { try field.validate(.counter(increments: ValueLimits.maxCounterTotal + 1, decrements: 0)) }
                    #expect(throws: ValidationError.self) { try field.validate(.counter(increments: 0, decrements: -1)) }
                    try field.validate(.counter(increments: ValueLimits.maxCounterTotal, decrements: ValueLimits.maxCounterTotal))
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test("a new record without its required fields is refused by the server", arguments: StorageBackend.all)
    func requiredFieldsOnCreate(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice", territories: ["east"])
                try await client.syncUntilDone(&alice)
                let nameless = alice.unappliedChange("account", newRecordID(), [.set("territory", "east")])
                let results = try await client.syncUntilDone(&alice, pushing: [nameless])
                #expect(results.map(\.code) == ["missing_required_field"])
            }
        }
    }

    /// The server's sources, for the audit below.
    static func serverSources() throws -> [(name: String, text: String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SyncServer/Sources")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "swift" }.map { ($0.lastPathComponent, try String(contentsOf: $0, encoding: .utf8)) }
    }

    @Test("no SQL text is built from values: no interpolation in SQL literals, no SQL string concatenation")
    func sqlIsParameterised() throws {
        let sources = try Self.serverSources()
        #expect(sources.count > 20)
        var statements = 0
        for (name, text) in sources {
            let lines = text.components(separatedBy: "\n")
            var inSQL = false
            for (number, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.contains("sql: \"") || trimmed.contains("SQL = \"\"\"") || trimmed.hasSuffix("sql: \"\"\"") {
                    statements += 1
                    if trimmed.hasSuffix("\"\"\"") { inSQL = true }
                    #expect(!trimmed.contains("\\("), "\(name):\(number + 1) interpolates into SQL")
                    #expect(!trimmed.contains("sql: Self.") || !trimmed.contains(" + "), "\(name):\(number + 1) concatenates SQL")
                    continue
                }
                if inSQL {
                    if trimmed.hasPrefix("\"\"\"") { inSQL = false; continue }
                    #expect(!trimmed.contains("\\("), "\(name):\(number + 1) interpolates into SQL")
                }
                #expect(!(trimmed.contains("sql:") && trimmed.contains("+ \"")), "\(name):\(number + 1) concatenates SQL")
            }
        }
        // The storage's statements are catalog cases (`SQLCatalog`: no case carries a value, so no
        // text can depend on one; `SQLCatalogTests` walks them); what this scan still sees are
        // SQLite's own statements run through GRDB (migrations, pragmas).
        #expect(statements > 5)
    }

    @Test("PostgreSQL queries are bound too: only the SQL adapter builds a query from text, and nothing splices values unescaped")
    func postgresQueriesAreParameterised() throws {
        let sources = try Self.serverSources()
        #expect(sources.contains { $0.name == "PostgresSQLDatabase.swift" })
        for (name, text) in sources {
            if text.contains("unsafeSQL:") {
                #expect(name == "PostgresSQLDatabase.swift", "\(name) builds a PostgresQuery from text")
            }
            #expect(!text.contains("unescaped:"), "\(name) splices text into a PostgresQuery")
        }
    }
}
