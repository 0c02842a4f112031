import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing
import Yams
import CRM

@testable import SyncServer

/// Keeps SyncServer/openapi.yaml true: the routes, the request and response bodies (examples
/// decoded with the server's own Codable types and re-encoded against the schemas), the keys
/// the strict reader accepts, and the error codes.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SyncServer/openapi.yaml")

    /// The document as JSON-like values (dictionaries keyed by String).
    static func document() throws -> [String: Any] {
        let text = try String(contentsOf: path, encoding: .utf8)
        return try #require(normalize(try Yams.load(yaml: text)) as? [String: Any])
    }

    /// Yams' values as JSONSerialization's: String-keyed dictionaries, NSNull for null.
    static func normalize(_ value: Any?) -> Any {
        switch value {
        case let dictionary as [AnyHashable: Any]:
            var result: [String: Any] = [:]
            for (key, element) in dictionary { result["\(key.base)"] = normalize(element) }
            return result
        case let dictionary as [String: Any]:
            return dictionary.mapValues { normalize($0) }
        case let array as [Any]:
            return array.map { normalize($0) }
        case nil:
            return NSNull()
        case let value?:
            return value
        }
    }

    static func dictionary(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }

    static func resolve(_ schema: [String: Any], in document: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String else { return schema }
        let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
        return resolve(dictionary(dictionary(dictionary(document["components"])["schemas"])[name]), in: document)
    }

    /// A JSON value with its JSON type, read by `JSONDecoder` (which tells booleans from numbers).
    enum JSONValue: Decodable {
        case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int64.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([JSONValue].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: JSONValue].self))
            }
        }

        static func from(_ value: Any) throws -> JSONValue {
            try JSONDecoder().decode(JSONValue.self, from: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
        }

        var typeName: String {
            switch self {
            case .null: return "null"
            case .bool: return "boolean"
            case .integer: return "integer"
            case .number: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }
    }

    /// A minimal JSON Schema check: types, required and allowed keys, items, $ref.
    static func violations(of value: JSONValue, against raw: [String: Any], in document: [String: Any], at path: String = "$") -> [String] {
        let schema = resolve(raw, in: document)
        var problems: [String] = []
        let types: [String] = (schema["type"] as? [String]) ?? ((schema["type"] as? String).map { [$0] } ?? [])
        if !types.isEmpty && !types.contains(value.typeName) && !(value.typeName == "integer" && types.contains("number")) {
            return ["\(path): \(value.typeName) where the schema says \(types)"]
        }
        switch value {
        case .object(let object):
            let properties = dictionary(schema["properties"])
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                problems.append("\(path): missing required '\(key)'")
            }
            for (key, element) in object {
                if let property = properties[key] as? [String: Any] {
                    problems += violations(of: element, against: property, in: document, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += violations(of: element, against: additional, in: document, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): key '\(key)' is not in the schema")
                }
            }
        case .array(let array):
            if let items = schema["items"] as? [String: Any] {
                for (index, element) in array.enumerated() {
                    problems += violations(of: element, against: items, in: document, at: "\(path)[\(index)]")
                }
            }
        default:
            break
        }
        return problems
    }

    /// Decodes JSON-like `value` as `T`, re-encodes it as the server would, and checks both
    /// against `schema`.
    static func roundTrip<T: Codable>(_ type: T.Type, _ value: Any, schema: [String: Any], in document: [String: Any], name: String) throws {
        let example = try JSONValue.from(value)
        let exampleProblems = violations(of: example, against: schema, in: document)
        #expect(exampleProblems.isEmpty, "example \(name): \(exampleProblems)")
        let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
        let decoded = try JSONDecoder().decode(T.self, from: data)
        let encoded = try JSONDecoder().decode(JSONValue.self, from: try ServerJSON.encoder().encode(decoded))
        let problems = violations(of: encoded, against: schema, in: document)
        #expect(problems.isEmpty, "\(T.self) as the server writes it: \(problems)")
    }

    /// The Codable types of each operation: the request body, and the body of each status.
    struct Operation {
        var request: (([String: Any], Any, [String: Any]) throws -> Void)?
        var shape: JSONShape?
        var responses: [String: ([String: Any], Any, [String: Any]) throws -> Void]
    }

    static func check<T: Codable>(_ type: T.Type) -> ([String: Any], Any, [String: Any]) throws -> Void {
        { schema, value, document in try roundTrip(T.self, value, schema: schema, in: document, name: "\(T.self)") }
    }

    static var operations: [String: Operation] {
        [
        "GET /v1/health": Operation(responses: ["200": check(HealthController<SQLiteServerStorage>.Health.self)]),
        "POST /v1/enroll": Operation(request: check(EnrollRequest.self), shape: RequestShapes.enrollRequest, responses: ["201": check(EnrollResponse.self)]),
        "POST /v1/sync": Operation(request: check(SyncRequest.self), shape: RequestShapes.syncRequest, responses: ["200": check(SyncResponse.self)]),
        "GET /v1/territories": Operation(responses: ["200": check(TerritoryList.self)]),
        // A text/event-stream: LiveSyncTests and LiveSyncCommandTests read it.
        "GET /v1/watch": Operation(responses: [:]),
        "GET /v1/admin/users": Operation(responses: ["200": check([UserAccount].self)]),
        "POST /v1/admin/users": Operation(
            request: check(AdminController<SQLiteServerStorage>.CreateUserRequest.self), shape: RequestShapes.createUserRequest,
            responses: ["201": check(AccountService<SQLiteServerStorage>.NewUser.self)]
        ),
        "PATCH /v1/admin/users/{name}": Operation(
            request: check(AdminController<SQLiteServerStorage>.UpdateUserRequest.self), shape: RequestShapes.updateUserRequest,
            responses: ["200": check(UserAccount.self)]
        ),
        "POST /v1/admin/users/{name}/code": Operation(responses: ["201": check(AdminController<SQLiteServerStorage>.EnrollmentCode.self)]),
        "GET /v1/admin/devices": Operation(responses: ["200": check([DeviceAccount].self)]),
        "POST /v1/admin/devices/{replica}/revoke": Operation(responses: ["200": check(AdminController<SQLiteServerStorage>.Revoked.self)]),
        "POST /v1/admin/devices/{replica}/wipe": Operation(responses: ["200": check(AdminController<SQLiteServerStorage>.Wiped.self)]),
        "POST /v1/admin/devices/{replica}/reassign": Operation(
            request: check(AdminController<SQLiteServerStorage>.ReassignDeviceRequest.self), shape: RequestShapes.reassignDeviceRequest,
            responses: ["200": check(AdminController<SQLiteServerStorage>.Reassigned.self)]
        ),
        "POST /v1/admin/accounts/{id}/points": Operation(
            request: check(AdminController<SQLiteServerStorage>.PointsAdjustment.self), shape: RequestShapes.pointsAdjustment,
            responses: ["200": check(AdminController<SQLiteServerStorage>.PointsBalance.self)]
        ),
        "GET /v1/admin/conflicts": Operation(responses: ["200": check(ConflictList.self)]),
        "GET /v1/admin/conflicts/{id}": Operation(responses: ["200": check(ConflictDetail.self)]),
        "POST /v1/admin/conflicts/{id}/resolve": Operation(
            request: check(ConflictResolution.self), shape: RequestShapes.conflictResolution, responses: ["200": check(ConflictResolutionResult.self)]
        ),
        "POST /v1/admin/conflicts/{id}/dismiss": Operation(
            request: check(ConflictDismissal.self), shape: RequestShapes.conflictDismissal, responses: ["200": check(ConflictResolutionResult.self)]
        ),
        "POST /v1/admin/merge-duplicates": Operation(
            request: check(DuplicateMergeRequest.self), shape: RequestShapes.duplicateMergeRequest, responses: ["200": check(DuplicateMergeResult.self)]
        ),
        "GET /v1/admin/records/{entity}/{id}/history": Operation(responses: ["200": check(RecordHistory.self)]),
        "GET /v1/reports/{name}": Operation(responses: ["200": check(ReportDocument.self)]),
        "GET /openapi.yaml": Operation(responses: [:]),
        "GET /metrics": Operation(responses: [:]),
        // The admin web page: HTML and forms, no JSON bodies.
        "GET /admin": Operation(responses: [:]),
        "GET /admin/static/admin.css": Operation(responses: [:]),
        "GET /admin/login": Operation(responses: [:]),
        "POST /admin/login": Operation(responses: [:]),
        "POST /admin/logout": Operation(responses: [:]),
        "GET /admin/conflicts": Operation(responses: [:]),
        "GET /admin/conflicts/{id}": Operation(responses: [:]),
        "POST /admin/conflicts/{id}/resolve": Operation(responses: [:]),
        "POST /admin/conflicts/merge": Operation(responses: [:]),
        "GET /admin/dashboard": Operation(responses: [:]),
        "GET /admin/charts/{name}": Operation(responses: [:]),
        "GET /admin/people": Operation(responses: [:]),
        "POST /admin/users/{name}/code": Operation(responses: [:]),
        "POST /admin/devices/{replica}/{action}": Operation(responses: [:]),
        "POST /admin/conflicts/{id}/dismiss": Operation(responses: [:]),
        "GET /admin/records/{entity}/{id}/history": Operation(responses: [:]),
        ]
    }

    /// "METHOD /path" of every operation in the document.
    static func documentedOperations(_ document: [String: Any]) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for (path, item) in dictionary(document["paths"]) {
            for (method, operation) in dictionary(item) {
                result["\(method.uppercased()) \(path)"] = dictionary(operation)
            }
        }
        return result
    }

    @Test("every route of the router is in the document, and every documented operation is a route")
    func routesMatch() async throws {
        try await withFixture { (fixture) async throws in
            let router = buildRouter(fixture.configuration, storage: fixture.storage, logger: fixture.logger)
            let routes = Set(router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { segment in
                    segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
                }.joined(separator: "/")
                return "\(route.method.rawValue) /\(path)"
            })
            let documented = Set(Self.documentedOperations(try Self.document()).keys)
            #expect(routes == documented, "only in the router: \(routes.subtracting(documented).sorted()); only in the document: \(documented.subtracting(routes).sorted())")
            #expect(Set(Self.operations.keys) == documented, "OpenAPIDocumentTests.operations is out of date")
        }
    }

    @Test("every example decodes with the server's types, and what the server writes back fits the schema")
    func examplesDecode() throws {
        let document = try Self.document()
        var examples = 0
        for (key, operation) in Self.documentedOperations(document) {
            let types = try #require(Self.operations[key], "\(key) has no Codable types in the test")
            let body = Self.dictionary(Self.dictionary(Self.dictionary(operation["requestBody"])["content"])["application/json"])
            if !body.isEmpty {
                let check = try #require(types.request, "\(key) takes a body")
                let schema = Self.dictionary(body["schema"])
                for (name, example) in Self.dictionary(body["examples"]) {
                    let value = try #require(Self.dictionary(example)["value"])
                    try check(schema, value, document)
                    if let shape = types.shape {
                        _ = try RequestBodyReader.parse(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value)), shape: shape)
                    }
                    examples += 1
                    _ = name
                }
            }
            for (status, response) in Self.dictionary(operation["responses"]) {
                let content = Self.dictionary(Self.resolveResponse(Self.dictionary(response), document)["content"])
                guard let json = content["application/json"] as? [String: Any] else { continue }
                let schema = Self.dictionary(json["schema"])
                let check = status.hasPrefix("2") ? types.responses[status] : Self.check(ErrorBody.self)
                #expect(check != nil, "\(key) \(status) has no Codable type in the test")
                for (_, example) in Self.dictionary(json["examples"]) {
                    try check?(schema, try #require(Self.dictionary(example)["value"]), document)
                    examples += 1
                }
            }
        }
        #expect(examples >= 12)
    }

    static func resolveResponse(_ response: [String: Any], _ document: [String: Any]) -> [String: Any] {
        guard let reference = response["$ref"] as? String else { return response }
        let name = reference.replacingOccurrences(of: "#/components/responses/", with: "")
        return dictionary(dictionary(dictionary(document["components"])["responses"])[name])
    }

    /// The keys a strict shape allows, recursively, as the document's schemas must list them.
    static func compare(_ shape: JSONShape, _ schema: [String: Any], document: [String: Any], path: String) -> [String] {
        let schema = resolve(schema, in: document)
        switch shape {
        case .any:
            return []
        case .array(let element):
            return compare(element, dictionary(schema["items"]), document: document, path: "\(path)[]")
        case .map(let element):
            return compare(element, dictionary(schema["additionalProperties"]), document: document, path: "\(path){}")
        case .object(let keys):
            var problems: [String] = []
            let properties = dictionary(schema["properties"])
            if Set(properties.keys) != Set(keys.keys) {
                problems.append("\(path): the server accepts \(keys.keys.sorted()), the document lists \(properties.keys.sorted())")
            }
            if schema["additionalProperties"] as? Bool != false {
                problems.append("\(path): the document must say additionalProperties: false (the server refuses unknown keys)")
            }
            for (key, element) in keys {
                problems += compare(element, dictionary(properties[key]), document: document, path: "\(path).\(key)")
            }
            return problems
        }
    }

    @Test("each request schema lists exactly the keys the strict reader accepts")
    func requestSchemasMatchStrictShapes() throws {
        let document = try Self.document()
        let schemas = Self.dictionary(Self.dictionary(document["components"])["schemas"])
        let pairs: [(String, JSONShape)] = [
            ("SyncRequest", RequestShapes.syncRequest), ("EnrollRequest", RequestShapes.enrollRequest),
            ("CreateUserRequest", RequestShapes.createUserRequest), ("UpdateUserRequest", RequestShapes.updateUserRequest),
            ("ReassignDeviceRequest", RequestShapes.reassignDeviceRequest),
            ("ConflictResolution", RequestShapes.conflictResolution), ("ConflictDismissal", RequestShapes.conflictDismissal),
            ("DuplicateMergeRequest", RequestShapes.duplicateMergeRequest),
        ]
        for (name, shape) in pairs {
            let problems = Self.compare(shape, Self.dictionary(schemas[name]), document: document, path: name)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test("every error and rejection code the server can send is documented")
    func codesAreDocumented() throws {
        let document = try Self.document()
        let schemas = Self.dictionary(Self.dictionary(document["components"])["schemas"])
        let errorCodes = try #require(
            Self.dictionary(Self.dictionary(Self.dictionary(Self.dictionary(schemas["ErrorBody"])["properties"])["error"])["properties"])["code"] as? [String: Any]
        )["description"] as? String ?? ""
        for code in ServerError.Code.allCases {
            #expect(errorCodes.contains(code.rawValue), "\(code.rawValue) is not in ErrorBody")
            #expect(errorCodes.contains("\(code.rawValue)") && errorCodes.contains("(\(code.httpStatus))"), "\(code.rawValue)")
        }
        let rejections = Self.dictionary(Self.dictionary(Self.dictionary(schemas["ChangeResult"])["properties"])["code"])["description"] as? String ?? ""
        for code in RejectionCode.allCases { #expect(rejections.contains(code.rawValue), "\(code.rawValue)") }
        for code in ValidationError.Code.allCases {
            #expect(rejections.contains(code.rawValue), "\(code.rawValue)")
        }
    }

    @Test("GET /openapi.yaml serves the committed document, byte for byte", arguments: StorageBackend.all)
    func servedDocumentIsTheFile(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/openapi.yaml", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
                #expect(Array(response.body.readableBytesView) == Array(try Data(contentsOf: Self.path)))
            }
        }
    }
}
