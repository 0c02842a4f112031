import CRM
import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

/// The API's error messages are in the language the request asks for (`Accept-Language`),
/// English by default; the stable codes never change.
@Suite("API error languages")
struct APIErrorLanguageTests {
    static let chinese = "zh-CN,zh;q=0.9"

    /// A refusal as a client reads it.
    struct Refusal: Equatable, CustomStringConvertible {
        var status: Int
        var code: String
        var message: String
        var description: String { "\(status) \(code): \(message)" }
    }

    static func refusal(_ response: TestResponse) throws -> Refusal {
        let body = try decodeBody(ErrorBody.self, response)
        return Refusal(status: response.status.code, code: body.error.code, message: body.error.message)
    }

    @Test("request refusals come in Chinese for Accept-Language: zh-CN and in English without it, with the same codes")
    func requestRefusals() async throws {
        try await withFixture(configure: { $0.maxRequestBytes = 16 * 1024 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let alice = try await fixture.enroll("alice")
                /// Sends one request, with `Accept-Language: language` when given.
                func send(_ uri: String, method: HTTPRequest.Method = .post, token: String? = nil, body: String, language: String?) async throws -> Refusal {
                    var headers: HTTPFields = [.contentType: "application/json", .contentLength: String(body.utf8.count)]
                    if let token { headers[.authorization] = "Bearer \(token)" }
                    if let language { headers[.acceptLanguage] = language }
                    return try Self.refusal(try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body)))
                }
                let big = "{\"pad\": \"\(String(repeating: "x", count: 20_000))\"}"
                let enrollment = "{\"code\": \"NOT-A-CODE\", \"replica\": \"\(ReplicaID())\", \"deviceName\": \"phone\"}"
                // (what is sent, English, Chinese)
                let cases: [(String, () async throws -> (Refusal, Refusal), Refusal, String)] = [
                    ("empty body", {
                        (try await send("/v1/sync", token: alice.token, body: "", language: nil),
                         try await send("/v1/sync", token: alice.token, body: "", language: Self.chinese))
                    }, Refusal(status: 400, code: "malformed_json", message: "the request body is empty; expected a JSON object"),
                    "请求内容为空；需要一个 JSON 对象"),
                    ("unknown device token", {
                        (try await send("/v1/sync", token: "nope", body: "{}", language: nil),
                         try await send("/v1/sync", token: "nope", body: "{}", language: Self.chinese))
                    }, Refusal(status: 401, code: "unauthorized", message: "the device token is not valid"), "设备令牌无效"),
                    ("payload too large", {
                        (try await send("/v1/sync", token: alice.token, body: big, language: nil),
                         try await send("/v1/sync", token: alice.token, body: big, language: Self.chinese))
                    }, Refusal(status: 413, code: "payload_too_large", message: "the request body has \(big.utf8.count) bytes; the limit is 16384"),
                    "请求内容有 \(big.utf8.count) 字节；上限是 16384"),
                    ("enrollment code", {
                        (try await send("/v1/enroll", body: enrollment, language: nil),
                         try await send("/v1/enroll", body: enrollment, language: Self.chinese))
                    }, Refusal(status: 401, code: "invalid_enrollment_code", message: "the enrollment code is unknown or was already used; ask an admin for a new one"),
                    "注册码不存在或已被使用；请向管理员索取新的注册码"),
                    ("admin role", {
                        (try await send("/v1/admin/users", method: .get, token: alice.token, body: "", language: nil),
                         try await send("/v1/admin/users", method: .get, token: alice.token, body: "", language: Self.chinese))
                    }, Refusal(status: 403, code: "forbidden", message: "this endpoint needs the admin role; 'alice' is a rep"),
                    "此接口需要管理员角色；'alice' 的角色是 rep"),
                    ("no such route", {
                        (try await send("/v1/nothing", method: .get, body: "", language: nil),
                         try await send("/v1/nothing", method: .get, body: "", language: Self.chinese))
                    }, Refusal(status: 404, code: "not_found", message: "no endpoint GET /v1/nothing"), "没有接口 GET /v1/nothing"),
                    ("JSON shape", {
                        (try await send("/v1/enroll", body: "{\"bogus\": 1}", language: nil),
                         try await send("/v1/enroll", body: "{\"bogus\": 1}", language: Self.chinese))
                    }, Refusal(status: 400, code: "unknown_key", message: "unknown key 'bogus' in the object at the top level (allowed: code, deviceName, replica)"),
                    "顶层处的对象含有未知的键 'bogus'（允许的键：code, deviceName, replica）"),
                ]
                for (name, exchange, english, chinese) in cases {
                    let (plain, translated) = try await exchange()
                    #expect(plain == english, "\(name)")
                    #expect(translated == Refusal(status: english.status, code: english.code, message: chinese), "\(name)")
                }
                // q-weights: the highest-weighted language FieldSync speaks wins.
                #expect(try await send("/v1/sync", token: "nope", body: "{}", language: "en-US,en;q=0.9,zh-CN;q=0.8").message == "the device token is not valid")
                #expect(try await send("/v1/sync", token: "nope", body: "{}", language: "fr-FR, zh-TW;q=0.5").message == "设备令牌无效")
                #expect(try await send("/v1/sync", token: "nope", body: "{}", language: "zh;q=0, de").message == "the device token is not valid")
            }
        }
    }

    @Test("a per-change rejection in a push answer is in the requester's language, its code unchanged")
    func perChangeRejection() async throws {
        try await withFixture { (fixture) async throws in
            #expect(try await fixture.storage.addTerritory(Territory(name: "east", title: "华东")))
            #expect(try await fixture.storage.addTerritory(Territory(name: "north", title: "华北")))
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice", role: .admin, territories: [])
                var messages: [String?] = []
                for language in [nil, Self.chinese] {
                    let change = alice.unappliedChange("account", newRecordID(), accountFields(name: "Acme", territory: "nrth"))
                    var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(alice.token)"]
                    if let language { headers[.acceptLanguage] = language }
                    let body = ByteBuffer(bytes: try JSONEncoder().encode(alice.request(pushing: [change])))
                    let response = try await client.execute(uri: "/v1/sync", method: .post, headers: headers, body: body)
                    #expect(response.status == .ok)
                    let results = try decodeBody(SyncResponse.self, response).results
                    #expect(results.map(\.code) == ["unknown_territory"])
                    messages.append(results.first?.message)
                }
                #expect(messages == [
                    "unknown territory 'nrth'; did you mean 'north'? (territories: east 华东, north 华北)",
                    "未知区域 'nrth'；您是不是要输入 'north'？（区域：east 华东, north 华北）",
                ])
            }
        }
    }

    @Test("a payment of 0 pushed by hand is refused in a push answer in the requester's language, with no English prose; in English without Accept-Language")
    func paymentOfZeroInChinese() async throws {
        try await withFixture { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice", role: .admin, territories: [])
                var messages: [String?] = []
                for language in [nil, Self.chinese] {
                    let account = newRecordID()
                    let payment: [FieldOperation] = [
                        .set("account", account), .set("invoice", newRecordID()), .set("amount", "0"), .set("received_on", "2026-11-20"),
                    ]
                    let changes = [alice.unappliedChange("account", account, accountFields(name: "Acme")), alice.unappliedChange("payment", newRecordID(), payment)]
                    var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(alice.token)"]
                    if let language { headers[.acceptLanguage] = language }
                    let body = ByteBuffer(bytes: try JSONEncoder().encode(alice.request(pushing: changes)))
                    let response = try await client.execute(uri: "/v1/sync", method: .post, headers: headers, body: body)
                    #expect(response.status == .ok)
                    let results = try decodeBody(SyncResponse.self, response).results
                    #expect(results.map(\.status) == [.accepted, .rejected])
                    #expect(results.last?.code == "invalid_value")
                    messages.append(results.last?.message)
                }
                #expect(messages == ["a payment's amount is more than zero, got 0", "付款金额必须大于零，收到的是 0"])
                #expect(EnglishProse.runs(in: messages.last.flatMap { $0 } ?? "English prose when there is no message").isEmpty)
            }
        }
    }

    @Test("every refusal sentence, with sample values, reads in Chinese with no English prose and in English as before")
    func everyRefusalSentenceInChinese() {
        #expect(RefusalSentence.problems == [])
        #expect(RefusalSentence.allCases.count > 200)
        for sentence in RefusalSentence.allCases {
            // Sample values are numbers, so that only the sentence's own words are checked.
            let holes = Set(sentence.texts.english.matches(of: /\{(\w+)\}/).map { String($0.output.1) })
            var refusal = SyncCore.Refusal(sentence)
            for (index, name) in holes.sorted().enumerated() { refusal.values[name] = .verbatim("\(index + 1)") }
            let chinese = refusal.text(.chinese), english = refusal.text(.english)
            #expect(EnglishProse.runs(in: chinese).isEmpty, "\(sentence) in Chinese: \(chinese)")
            #expect(!chinese.contains("{") && !english.contains("{"), "\(sentence) leaves a placeholder: \(english) / \(chinese)")
            // A sentence of values only (a command's name) reads the same in both languages.
            let hasWords = sentence.texts.english.replacing(/\{\w+\}/, with: "").contains(where: \.isLetter)
            #expect(english == refusal.english && (english != chinese || !hasWords), "\(sentence): \(english) / \(chinese)")
        }
    }

    @Test("a refusal inside a refusal, and entity names, read in the reader's language; the English stays as it was")
    func typedRefusals() {
        let next = SyncCore.Refusal(.statusMayGoTo, ["status": "draft", "allowed": "submitted, cancelled"])
        let move = ValidationError(.invalidTransition, .cannotMoveStatus, ["subject": "order", "from": "draft", "to": "delivered", "next": next])
        #expect(move.message == "cannot move order from draft to delivered; from draft it may go to submitted, cancelled")
        #expect(move.message(in: .chinese) == "订单不能从 draft 变为 delivered；从 draft 可以变为 submitted, cancelled")
        let territory = ServerError(.unknownTerritory, refusal: SyncCore.Refusal(.territoryKeyExpected, ["entity": "account", "field": "territory", "key": "east", "territory": "East"]))
        #expect(territory.message == "account field 'territory' holds a territory's key: 'east', not 'East'")
        #expect(territory.message(in: .chinese) == "客户的字段 'territory' 应填区域的代码：'east'，而不是 'East'")
    }

    @Test("a refusal that reports on another says both in the reader's language")
    func nestedRefusal() {
        let inner = ServerError(.notFound, .noUserNamed, ["name": "bob"])
        let outer = ServerError(.notFound, .importRecord, ["index": 3, "entity": "account", "id": "a1", "reason": inner])
        #expect(outer.message == "record 3 (account/a1): no user named 'bob'")
        #expect(outer.message(in: .chinese) == "第 3 条记录（account/a1）：没有名为 'bob' 的用户")
        let closed = ServerError(.conflictNotOpen, .conflictAlreadyClosedBy, ["id": 7, "status": ServerError.Value.word(ConflictStatus.resolvedByAdmin.word), "admin": "root"])
        #expect(closed.message == "conflict 7 is already resolved by admin (by root)")
        #expect(closed.message(in: .chinese) == "冲突 7 已经是“已由管理员解决”（由 root 处理）")
        // Values are filled in one pass: one that looks like a placeholder stays as sent.
        let typed = ServerError(.invalidRequest, .durationInvalid, ["name": "older_than", "text": "{name}"])
        #expect(typed.message == "older_than must be a duration such as 30m, 2h or 3d; got '{name}'")
    }

    @Test("a sentence a shared library built is translated by pattern; one without a pattern keeps its English")
    func passedOnReasons() {
        let parameter = ServerError(.invalidRequest, reason: "unknown report parameter 'x' (known: as_of, currency)")
        #expect(parameter.message == "unknown report parameter 'x' (known: as_of, currency)")
        #expect(parameter.message(in: .chinese) == "未知的报表参数 'x'（已知：as_of, currency）")
        let territory = ServerError(.unknownTerritory, reason: "account field 'territory' holds a territory's key: 'east', not 'East'", reasonCode: "unknown_territory")
        #expect(territory.message(in: .chinese) == "客户的字段 'territory' 应填区域的代码：'east'，而不是 'East'", "an older server's English, read back from the catalogue")
        let unmatched = ServerError(.unknownTerritory, reason: "a sentence no pattern knows", reasonCode: "unknown_territory")
        #expect(unmatched.message(in: .chinese) == "未知区域（a sentence no pattern knows）")
        let shape = RequestBodyReader.refusal(JSONReadError(.value, message: "missing key 'code'", path: []))
        #expect(shape.message == "at the top level: missing key 'code'")
        #expect(shape.message(in: .chinese) == "顶层处：缺少键 'code'")
    }

    @Test("the HTTP library's refusals (a 400 with its English message, a 405, a 503) are our sentences in the reader's language, with the status and none of the library's prose")
    func libraryRefusals() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.get("/bad") { _, _ -> String in throw HTTPError(.badRequest, message: "Parameter 'id' can not be converted to the expected type (Int)") }
        router.get("/method") { _, _ -> String in throw HTTPError(.methodNotAllowed) }
        router.get("/broken") { _, _ -> String in throw HTTPError(.serviceUnavailable, message: "Upstream went away") }
        try await Application(router: router).test(.router) { client in
            let cases: [(String, Refusal, String)] = [
                ("/bad", Refusal(status: 400, code: "invalid_request", message: "the request was refused (HTTP 400)"), "请求被拒绝（HTTP 400）"),
                ("/method", Refusal(status: 405, code: "invalid_request", message: "GET is not allowed on /method"), "/method 不接受 GET 请求"),
                ("/broken", Refusal(status: 503, code: "internal_error", message: "the server failed (HTTP 503)"), "服务器出错（HTTP 503）"),
            ]
            for (uri, english, chinese) in cases {
                let plain = try Self.refusal(try await client.execute(uri: uri, method: .get))
                let translated = try Self.refusal(try await client.execute(uri: uri, method: .get, headers: [.acceptLanguage: Self.chinese]))
                #expect(plain == english, "\(uri)")
                #expect(translated == Refusal(status: english.status, code: english.code, message: chinese), "\(uri)")
            }
        }
    }

    @Test("a body JSONDecoder refuses names where and what in the reader's language, without Foundation's English")
    func decodingRefusals() throws {
        struct Probe: Decodable { var name: String; var items: [Int] }
        func refusal(_ json: String) throws -> ServerError {
            do {
                _ = try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
            } catch let error as DecodingError {
                return RequestBodyReader.refusal(error)
            }
            throw CancellationError()
        }
        let cases: [(String, String, String)] = [
            (#"{"items": []}"#, "at the top level: missing key 'name'", "顶层处：缺少键 'name'"),
            (#"{"name": 3, "items": []}"#, "at name: expected a string", "name处：需要字符串"),
            (#"{"name": "x", "items": [1, "two"]}"#, "at items[1]: expected an integer", "items[1]处：需要整数"),
            (#"{"name": null, "items": []}"#, "at name: expected a string, found null", "name处：需要字符串，收到的是 null"),
            ("not json", "the body is not valid JSON", "请求内容不是有效的 JSON"),
        ]
        for (json, english, chinese) in cases {
            let error = try refusal(json)
            #expect(error.code == .malformedJSON)
            #expect(error.message == english, "\(json)")
            #expect(error.message(in: .chinese) == chinese, "\(json)")
        }
    }

    @Test("every server message has English and Chinese with the same placeholders")
    func catalogueIsComplete() {
        #expect(ServerMessage.problems == [])
        #expect(ServerMessage.allCases.count > 100)
    }
}
