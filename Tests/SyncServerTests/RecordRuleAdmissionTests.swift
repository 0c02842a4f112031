import CRM
import FieldSyncTestSupport
import SyncCore
import Testing

@testable import SyncServer

/// The server re-checks the CRM rules a device checks on payments, invoices and contracts
/// (issue 16 item 3): a hand-made push of a payment of −500 or 0, or of a contract ending before
/// it starts, is refused per change with the device's code; an honest offline write that
/// crossed another is never refused for what its writer could not see.
@Suite("CRM rules on the server: payments, invoices and contracts")
struct RecordRuleAdmissionTests {
    static let refused = ValidationError.Code.invalidValue.rawValue

    /// An account with a confirmed order and an issued invoice of 1,000, synced by alice.
    static func invoiced(_ alice: inout LoyaltyDevice, _ service: SyncService<TestStore>) async throws -> (account: RecordID, invoice: RecordID) {
        let account = try alice.createAccount()
        let order = RecordIDs.make(), invoice = RecordIDs.make()
        alice.outbox.append(try alice.replica.write("order", order, [.set("account", account), .set("status", "confirmed"), .set("total", "1000")]))
        alice.outbox.append(try alice.replica.write("invoice", invoice, [
            .set("account", account), .set("order", order), .set("amount", "1000"), .set("status", "issued"),
            .set("issued_on", "2026-11-20"), .set("payment_terms", "net_30"), .set("due_on", "2026-12-20"),
        ]))
        #expect(try await alice.sync(service).map(\.status) == [.accepted, .accepted, .accepted])
        return (account, invoice)
    }

    static func payment(_ account: RecordID, _ invoice: RecordID, _ amount: String) -> [FieldOperation] {
        [.set("account", account), .set("invoice", invoice), .set("amount", amount), .set("received_on", "2026-11-25")]
    }

    static func contract(_ account: RecordID, starts: String, ends: String) -> [FieldOperation] {
        [.set("account", account), .set("title", "年度维保"), .set("status", "active"), .set("starts_on", starts), .set("ends_on", ends)]
    }

    @Test("a hand-made payment of −500 or 0, an invoice of 0 or due before its day, a contract ending before it starts: refused per change with invalid_value", arguments: StorageBackend.all)
    func handMadePushesAreRefused(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            let (account, invoice) = try await Self.invoiced(&alice, service)
            let order = try #require(alice.replica.record("invoice", invoice)?.value(of: "order").stringValue)
            let before = try await fixture.dump()

            let contract = RecordIDs.make()
            alice.outbox.append(alice.replica.unappliedChange("payment", RecordIDs.make(), Self.payment(account, invoice, "-500")))
            alice.outbox.append(alice.replica.unappliedChange("payment", RecordIDs.make(), Self.payment(account, invoice, "0")))
            alice.outbox.append(alice.replica.unappliedChange("invoice", RecordIDs.make(), [
                .set("account", account), .set("order", order), .set("amount", "0"), .set("status", "issued"),
                .set("issued_on", "2026-11-20"), .set("payment_terms", "net_30"), .set("due_on", "2026-12-20"),
            ]))
            alice.outbox.append(alice.replica.unappliedChange("contract", contract, Self.contract(account, starts: "2027-01-01", ends: "2026-06-30")))
            // Against the record its writer saw: the invoice due before its day, by hand.
            alice.outbox.append(alice.replica.unappliedChange("invoice", invoice, [.set("due_on", "2026-11-01")]))
            let results = try await alice.sync(service)
            #expect(results.map(\.code) == Array(repeating: Self.refused, count: 5))
            #expect(results.allSatisfy { $0.status == .rejected })
            #expect(results[0].message?.contains("may not be negative, got -500") == true, "\(results[0].message ?? "")")
            #expect(results[1].message?.contains("a payment's amount is more than zero") == true, "\(results[1].message ?? "")")
            #expect(results[2].message?.contains("an invoice's amount is more than zero") == true, "\(results[2].message ?? "")")
            #expect(results[3].message?.contains("ends_on (2026-06-30) is before starts_on (2027-01-01)") == true, "\(results[3].message ?? "")")
            #expect(try await fixture.dump() == before, "nothing of a refused change is stored")

            // The same records as the device's rules let them through pass.
            let paid = RecordIDs.make()
            alice.outbox.append(try alice.replica.write("payment", paid, Self.payment(account, invoice, "300")))
            alice.outbox.append(try alice.replica.write("contract", contract, Self.contract(account, starts: "2026-01-01", ends: "2026-12-31")))
            // An edit of its own contract's end to before the start it saw: refused too.
            alice.outbox.append(alice.replica.unappliedChange("contract", contract, [.set("ends_on", "2025-12-31")]))
            #expect(try await alice.sync(service).map(\.code) == [nil, nil, Self.refused])
            let records = try await fixture.storage.records()
            #expect(records.first { $0.id == paid }?.value(of: "amount") == .string("300"))
            #expect(records.first { $0.id == contract }?.value(of: "ends_on") == .string("2026-12-31"))
        }
    }

    @Test("an honest offline write that crossed another is not refused for what its writer could not see", arguments: StorageBackend.all)
    func crossingWritesPass(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            var bob = try await fixture.loyaltyDevice("bob")
            let (account, invoice) = try await Self.invoiced(&alice, service)
            let contract = RecordIDs.make()
            alice.outbox.append(try alice.replica.write("contract", contract, Self.contract(account, starts: "2026-01-01", ends: "2026-12-31")))
            try await alice.sync(service)
            try await bob.sync(service)

            // Offline, alice moves the start to July, and voids the invoice; bob, who saw the
            // start in January, moves the end to March, and records money received on the
            // invoice. Each is right on its own device.
            alice.outbox.append(try alice.replica.write("contract", contract, [.set("starts_on", "2026-07-01")]))
            alice.outbox.append(try alice.replica.write("invoice", invoice, [.set("status", "void")]))
            bob.outbox.append(try bob.replica.write("contract", contract, [.set("ends_on", "2026-03-31")]))
            let payment = RecordIDs.make()
            bob.outbox.append(try bob.replica.write("payment", payment, Self.payment(account, invoice, "1000")))
            #expect(try await alice.sync(service).map(\.status) == [.accepted, .accepted])
            #expect(try await bob.sync(service).map(\.status) == [.accepted, .accepted], "bob could not see alice's writes: his are not refused")
            let records = try await fixture.storage.records()
            #expect(records.first { $0.id == contract }?.value(of: "ends_on") == .string("2026-03-31"))
            #expect(records.first { $0.id == payment }?.value(of: "amount") == .string("1000"))

            // Once bob has seen the new start, the same kind of edit is judged on it.
            bob.outbox.append(bob.replica.unappliedChange("contract", contract, [.set("ends_on", "2026-05-31")]))
            #expect(try await bob.sync(service).map(\.code) == [Self.refused])
        }
    }
}
