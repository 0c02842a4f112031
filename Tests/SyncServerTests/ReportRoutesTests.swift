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

@Suite("Reports over the server's records")
struct ReportRoutesTests {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/crm-demo.json")

    /// The demo data set written as the server replica.
    static func seed(_ fixture: ServerFixture) async throws {
        let records = try RecordImport.decode(from: Array(try Data(contentsOf: demo)))
        _ = try await fixture.syncService().writeAsServer(records.records)
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, token: String?, acceptLanguage: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let acceptLanguage { headers[.acceptLanguage] = acceptLanguage }
        return try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    @Test("managers and admins read reports; reps and strangers do not", arguments: StorageBackend.all)
    func roles(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let rep = try await fixture.enroll("alice")
            let manager = try await fixture.enroll("mgr-wang", role: .manager, territories: ["east", "north"])
            let admin = try await fixture.enroll("root", role: .admin, territories: [])
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let forRep = try await Self.get(client, "/v1/reports/pipeline", token: rep.token)
                #expect(forRep.status == .forbidden)
                #expect(try errorCode(forRep) == "forbidden")
                let anonymous = try await Self.get(client, "/v1/reports/pipeline", token: nil)
                #expect(anonymous.status == .unauthorized)
                for (reader, scope) in [(manager, "territories east, north"), (admin, "everything")] {
                    let response = try await Self.get(client, "/v1/reports/pipeline", token: reader.token)
                    #expect(response.status == .ok)
                    let document = try decodeBody(ReportDocument.self, response)
                    #expect(document.source == .server)
                    #expect(document.scope == scope, "a manager's reports cover their territories, an admin's everything")
                }
            }
        }
    }

    /// Every report over one seeded store: seeding the demo data set is most of the work, so it
    /// is done once for all of them.
    @Test("every report answers JSON the CLI decodes, computed over the server's records")
    func everyReport() async throws {
        try await withFixture { (fixture) async throws in
            try await Self.seed(fixture)
            let manager = try await fixture.enroll("mgr-wang", role: .manager, territories: ["east"])
            // The manager covers east: the reports are over east's accounts and their records.
            let states = ReportService<SQLiteServerStorage>.visible(try await fixture.storage.records(), in: .territories(["east"]), schema: CRMSchema.schema)
            #expect(states.contains { $0.entity == "account" } && !states.contains { $0.value(of: "territory") == .string("north") })
            let app = try await fixture.app()
            try await app.test(.router) { client in
                for name in ReportName.allCases {
                    let response = try await Self.get(client, "/v1/reports/\(name)?as_of=2026-11-23", token: manager.token)
                    #expect(response.status == .ok, "\(name): \(String(buffer: response.body))")
                    let document = try decodeBody(ReportDocument.self, response)
                    #expect(document.report == name)
                    #expect(document.asOf == CalendarDay("2026-11-23"), "\(name)")
                    #expect(document.unsyncedLocalEdits == 0, "\(name)")
                    let expected = ReportCatalog.compute(
                        name, over: CRMDataSet(states: states), parameters: try ReportParameters(query: ["as_of": "2026-11-23"], for: name),
                        now: document.generatedAt
                    )
                    #expect(document.result == expected, "\(name)")
                }
            }
        }
    }

    @Test("CSV, text and the SVG chart", arguments: StorageBackend.all)
    func formats(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            try await Self.seed(fixture)
            let admin = try await fixture.enroll("root", role: .admin, territories: [])
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let csv = try await Self.get(client, "/v1/reports/pipeline?format=csv&currency=CNY", token: admin.token)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
                let lines = String(buffer: csv.body).split(separator: "\r\n")
                #expect(lines.first == "currency,stage,count,amount,weighted amount")
                #expect(lines.count == 1 + OpportunityStage.allCases.count + 1, "a row per stage and the open total")

                let text = try await Self.get(client, "/v1/reports/satisfaction?format=text", token: admin.token)
                #expect(String(buffer: text.body).contains("NPS"))
                #expect(String(buffer: text.body).contains("computed on the server"))
                // Text follows Accept-Language; CSV and JSON keep the report's English words.
                let chinese = String(buffer: try await Self.get(client, "/v1/reports/satisfaction?format=text", token: admin.token, acceptLanguage: "zh-CN,zh;q=0.9").body)
                #expect(chinese.contains("客户满意度") && chinese.contains("在服务器上于"))
                let chineseCSV = String(buffer: try await Self.get(client, "/v1/reports/pipeline?format=csv", token: admin.token, acceptLanguage: "zh-CN").body)
                #expect(chineseCSV.hasPrefix("currency,stage,count,amount,weighted amount"))

                let svg = try await Self.get(client, "/v1/reports/pipeline.svg?measure=weighted_amount&currency=CNY", token: admin.token)
                #expect(svg.status == .ok)
                #expect(svg.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
                let drawing = String(buffer: svg.body)
                #expect(drawing.hasPrefix("<svg"))
                #expect(drawing.contains("weighted amount, CNY"))
                for stage in OpportunityStage.openStages { #expect(drawing.contains(">\(stage.rawValue)<")) }

                let funnel = try await Self.get(client, "/v1/reports/conversion.svg", token: admin.token)
                #expect(funnel.status == .ok)
                #expect(String(buffer: funnel.body).contains("Lead funnel"))
            }
        }
    }

    @Test("bad requests: unknown report, foreign or malformed parameter, a table asked as a chart", arguments: StorageBackend.all)
    func badRequests(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let admin = try await fixture.enroll("root", role: .admin, territories: [])
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let cases: [(String, HTTPResponse.Status, String)] = [
                    ("/v1/reports/forecast", .notFound, "not_found"),
                    ("/v1/reports/pipeline?days=30", .badRequest, "invalid_request"),
                    ("/v1/reports/churn?days=zero", .badRequest, "invalid_request"),
                    ("/v1/reports/pipeline?format=xlsx", .badRequest, "invalid_request"),
                    ("/v1/reports/pipeline?measure=count", .badRequest, "invalid_request"),
                    ("/v1/reports/churn.svg", .notFound, "not_found"),
                    ("/v1/reports/pipeline.svg?measure=height", .badRequest, "invalid_request"),
                ]
                for (uri, status, code) in cases {
                    let response = try await Self.get(client, uri, token: admin.token)
                    #expect(response.status == status, "\(uri)")
                    #expect(try errorCode(response) == code, "\(uri)")
                }
            }
        }
    }
}
