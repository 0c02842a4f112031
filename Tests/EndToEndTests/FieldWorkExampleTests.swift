import CRM
import FieldWork
import Foundation
import Logging
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

/// The worked example of the FieldWork documentation (Sources/FieldWork/FieldWork.docc/
/// FromEnrollmentToASyncedOrder.md), run: a device enrolls with a live in-process server,
/// creates an account and an order through the library, syncs, and the server holds the order.
/// `documentedExampleIsThisTest` keeps the article's code and this test's the same.
struct FieldWorkExampleTests {
    static let articlePath = "Sources/FieldWork/FieldWork.docc/FromEnrollmentToASyncedOrder.md"

    @Test func fromEnrollmentToASyncedOrder() async throws {
        let directory = try TemporaryDirectory("fieldwork-example")
        defer { directory.remove() }
        var logger = Logger(label: "fieldwork-example")
        logger.logLevel = .critical
        // The server side, as an admin would set it up: a rep of territory east with a one-time
        // enrollment code, and a product on the price list.
        let storage = try SQLiteServerStorage(path: directory.path("server.sqlite"), logger: logger)
        let server = try await InProcessServer.start(
            ServerConfiguration(host: "127.0.0.1", port: 0, databasePath: directory.path("server.sqlite")), storage: storage, logger: logger
        )
        let rep = try await AccountService(storage: storage, logger: logger).createUser(name: "wang.fang", role: .rep, territories: ["east"])
        _ = try await SyncService(storage: storage, schema: CRMSchema.schema, configuration: ServerConfiguration(), logger: logger).writeAsServer([
            RecordWrite(entity: "product", id: RecordIDs.make(), fields: [
                "sku": .value(.string("VALVE-20")), "name": .value(.string("Valve DN20")), "unit_price": .value(.string("12.5")),
                "currency": .value(.string("CNY")),
            ]),
        ])
        let enrollmentCode = rep.enrollmentCode
        let serverURL = try #require(URL(string: server.baseURL))
        let databasePath = directory.path("device.sqlite")

        do {
            // 1. Open the device store and enroll it with the code the admin gave the rep.
            let store = try FieldWork.openStore(path: databasePath)
            let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: serverURL))
            try await client.enroll(code: enrollmentCode, deviceName: "Wang Fang's phone", serverURL: serverURL.absoluteString)
            _ = try await client.sync()  // the first sync brings the price list and the rep's customers

            // 2. Work offline: a new customer, and an order taken on the visit.
            let work = FieldWork(store: store)
            let account = try work.createAccount(FieldWork.NewAccount(name: "苏州精工", territory: "east", city: "苏州"))
            let order = try work.createOrder(FieldWork.NewOrder(account: account.recordID, number: "SO-2026-0142"))
            let lines = try work.addOrderLine(order.recordID, FieldWork.LinePricing(product: "VALVE-20", quantity: 4))
            let submitted = try work.submitOrder(order.recordID, at: try FieldTime.parse("2026-11-20T10:15+08:00"))
            print("order \(submitted.recordID): \(submitted.after?.value("total") ?? .null) CNY, \(lines.count) edits for the line")

            // 3. Back online: push the edits.
            let summary = try await client.sync()
            print("pushed \(summary.pushed) changes")

            // What the server now holds.
            let onServer = try #require(try await storage.record(entity: "order", id: order.recordID))
            #expect(onServer.value(of: "status") == .string("submitted"))
            #expect(onServer.value(of: "total") == .string("50"))
            #expect(onServer.value(of: "ordered_on") == .string("2026-11-20"))
            #expect(onServer.value(of: "account") == .string(account.recordID))
            #expect(try await storage.record(entity: "account", id: account.recordID)?.value(of: "name") == .string("苏州精工"))
            #expect(try await storage.record(entity: "order_line", id: lines[0].recordID)?.value(of: "quantity") == .int(4))
            #expect(summary.pushed == 5)
            #expect(try store.outbox().isEmpty)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }

    /// Every Swift block of the article appears, line for line, in the test above.
    @Test func documentedExampleIsThisTest() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let article = try String(contentsOf: root.appendingPathComponent(Self.articlePath), encoding: .utf8)
        let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let testLines = test.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let blocks = article.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 3)
        for block in blocks {
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let start = testLines.firstIndex(of: lines[0])
            #expect(start != nil, "the article's line is not in the test: \(lines[0])")
            guard let start else { continue }
            let found = Array(testLines[start...].filter { !$0.isEmpty }.prefix(lines.count))
            #expect(found == lines, "the article's block starting \(lines[0]) differs from the test")
        }
    }
}
