import Foundation
import SyncClient
import SyncCore
import Testing

/// Two reps edit the same quote offline through the real CLI: each adds lines, both sync,
/// every line is kept and the total derived from them is the same on both devices; the quote
/// is accepted into one order (also when the second rep accepts it again), confirmed and
/// invoiced, and partial payments taken on both devices offline add up in the receivables
/// report.
@Suite("Quote to cash through the CLI", .serialized)
struct QuoteToCashEndToEndTests {
    static let account = "0192f0c4-0000-7000-8000-000000000002"

    static let seed = """
        {"records": [
          {"entity": "product", "id": "0192f0c4-0000-7000-8000-000000000020", "fields": {"sku": "P-1", "name": "传感器 Sensor", "unit_price": "99.5", "currency": "CNY", "active": true}},
          {"entity": "product", "id": "0192f0c4-0000-7000-8000-000000000021", "fields": {"sku": "P-2", "name": "控制器 Controller", "unit_price": "200", "currency": "CNY", "active": true}},
          {"entity": "account", "id": "\(account)", "fields": {"name": "Bluewater Electronics Ltd.", "territory": "east", "city": "上海", "payment_terms": "net_30"}}
        ]}
        """

    /// quantity × price less the discount, plus tax, each rounded to cents: computed here,
    /// independently of the library's `LinePrice`.
    static func gross(_ quantity: Int, _ price: String, discount: Int = 0, tax: Int = 0) -> Decimal {
        func cents(_ value: Decimal) -> Decimal {
            var value = value, result = Decimal()
            NSDecimalRound(&result, &value, 2, .plain)
            return result
        }
        let net = cents(Decimal(quantity) * Decimal(string: price)! * Decimal(100 - discount) / 100)
        return net + cents(net * Decimal(tax) / 100)
    }

    static func decimal(_ any: Any?) -> Decimal? { (any as? String).flatMap { Decimal(string: $0) } }

    @Test("lines added to one quote on two offline devices both count; accepted once into an order; payments from both add up")
    func quoteToCash() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-quote")
        let (serverStore, server) = try await CLIServerStore.seeded(Self.seed, in: directory)
        let codes = [try await serverStore.addUser("alice"), try await serverStore.addUser("bob")]
        let url = try await server.start()
        defer { server.terminate() }
        let devices = zip(["alice", "bob"], codes).map { name, code in (CLIDevice(name: name, database: directory.path("\(name).sqlite")), code) }
        for (device, code) in devices {
            try await device.run(["enroll", "--server", url.absoluteString, "--code", code, "--name", "\(device.name)-phone"])
            try await device.run(["sync"])
        }
        let (alice, bob) = (devices[0].0, devices[1].0)

        let quote = try #require(try JSONValues.object(try await alice.run(["quote", "create", "--account", Self.account, "--number", "QT-7", "--json"]))["id"] as? String)
        try await alice.run(["quote", "add-line", "QT-7", "--product", "P-1", "--quantity", "10", "--discount", "10", "--tax", "13"])
        try await alice.run(["sync"])
        try await bob.run(["sync"])

        // Offline, each rep adds what the customer asked them for.
        try await alice.run(["quote", "add-line", "QT-7", "--product", "P-2", "--quantity", "2"])
        try await bob.run(["quote", "add-line", "QT-7", "--product", "P-1", "--quantity", "1", "--unit-price", "80", "--tax", "13"])
        for device in [alice, bob, alice] { try await device.run(["sync"]) }

        let expected = Self.gross(10, "99.5", discount: 10, tax: 13) + Self.gross(2, "200") + Self.gross(1, "80", tax: 13)
        for device in [alice, bob] {
            let totals = try JSONValues.object(try await device.run(["quote", "total", "QT-7", "--json"]))
            #expect(totals["lines"] as? Int == 3, "\(device.name): every line kept")
            #expect(Self.decimal(totals["gross"]) == expected, "\(device.name): \(totals)")
        }
        // The quote's own total was never written while lines were added: nothing to conflict.
        let shown = try JSONValues.object(try await alice.run(["show", "quote", quote, "--json"]))
        #expect(JSONValues.value(shown, ["fields", "total"]) == nil)
        #expect((shown["conflicts"] as? [String: Any])?.isEmpty == true, "\(shown)")
        #expect((JSONValues.value(shown, ["children", "lines"]) as? [Any])?.count == 3)

        try await alice.run(["quote", "send", "QT-7", "--at", "2026-11-20T09:00+08:00"])
        for device in [alice, bob] { try await device.run(["sync"]) }
        // Offline, both reps hear the customer accept and accept the quote on their device.
        var orders: [String] = []
        for device in [alice, bob] {
            let accepted = try JSONValues.array(try await device.run(["quote", "accept", "QT-7", "--number", "SO-77", "--at", "2026-11-20T10:00+08:00", "--json"]))
            let order = try #require(accepted.first { JSONValues.string($0, ["entity"]) == "order" })
            #expect(Self.decimal(JSONValues.value(order, ["fields", "total"])) == expected)
            #expect(JSONValues.string(order, ["fields", "status"]) == "submitted")
            #expect(accepted.filter { JSONValues.string($0, ["entity"]) == "order_line" }.count == 3)
            orders.append(try #require(JSONValues.string(order, ["id"])))
        }
        #expect(orders[0] == orders[1], "the order's id comes from the quote's")
        for device in [alice, bob, alice] { try await device.run(["sync"]) }
        let again = try await bob.run(["quote", "accept", "QT-7"])
        #expect(again.contains("already accepted"), "\(again)")
        for device in [alice, bob] {
            #expect(try JSONValues.array(try await device.run(["list", "order", "--json"])).count == 1, "\(device.name): one order")
            #expect(try JSONValues.array(try await device.run(["list", "order_line", "--json"])).count == 3)
            let conflicts = try await device.run(["conflicts", "--json"])
            #expect(!conflicts.contains("order"), "\(device.name): the two acceptances wrote the same values: \(conflicts)")
        }

        // The order's status machine, on the device.
        let refused = try await bob.fail(["order", "deliver", "SO-77"])
        #expect(refused.stderr.contains("invalid_transition") || refused.stderr.contains("cannot move order from submitted to delivered"), "\(refused.stderr)")
        try await bob.run(["order", "confirm", "SO-77", "--at", "2026-11-21T09:00+08:00"])
        try await bob.run(["invoice", "issue", "SO-77", "--number", "INV-77", "--at", "2026-11-21T10:00+08:00"])
        for device in [bob, alice] { try await device.run(["sync"]) }

        // Offline, each rep takes a partial payment.
        try await alice.run(["invoice", "pay", "INV-77", "--amount", "500", "--method", "wechat_pay", "--at", "2026-12-01T10:00+08:00"])
        try await bob.run(["invoice", "pay", "INV-77", "--amount", "300.5", "--method", "bank_transfer", "--at", "2026-12-02T10:00+08:00"])
        for device in [alice, bob, alice] { try await device.run(["sync"]) }

        // Due 2026-12-21 (net 30 from 11-21); as of 2027-01-05 it is 15 days past due.
        let owed = expected - 500 - Decimal(string: "300.5")!
        for device in [alice, bob] {
            let report = try JSONValues.object(try await device.run(["report", "receivables", "--as-of", "2027-01-05", "--json"]))
            let row = try #require((JSONValues.value(report, ["result", "rows"]) as? [[String: Any]])?.first)
            #expect(Self.decimal(row["outstanding"]) == owed, "\(device.name): \(row)")
            #expect(Self.decimal(row["overdue"]) == owed)
            #expect(Self.decimal((row["buckets"] as? [Any])?[1]) == owed, "0–30 days past due")
            #expect(JSONValues.int(report, ["result", "collection", 0, "daysPastDue"]) == 15)
        }
    }
}
