import CRM
import FieldSyncTestSupport
import SyncCore
import Testing

@testable import SyncServer

/// The server checks order and quote status moves as the device's rules do: a device that
/// skipped its rules (or an old build) cannot push a delivered order back to cancelled.
@Suite("Order and quote status moves on the server")
struct StatusMoveAdmissionTests {
    @Test("a pushed move the status machine forbids is refused per change with invalid_transition", arguments: StorageBackend.all)
    func refusedMoves(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            let account = try alice.createAccount()
            let order = RecordIDs.make(), quote = RecordIDs.make()
            for operations in [[.set("account", account), .set("status", "submitted")], [.set("status", "confirmed")], [.set("status", "delivered")]] as [[FieldOperation]] {
                alice.outbox.append(try alice.replica.write("order", order, operations))
            }
            // A device that skipped its rules cancels the delivered order; its next edit does not
            // build on that refused write.
            alice.outbox.append(alice.replica.unappliedChange("order", order, [.set("status", "cancelled")]))
            alice.outbox.append(try alice.replica.write("order", order, [.set("notes", "delivered to the dock")]))
            for operations in [[.set("account", account), .set("status", "sent")], [.set("status", "accepted")], [.set("status", "draft")]] as [[FieldOperation]] {
                alice.outbox.append(try alice.replica.write("quote", quote, operations))
            }
            let results = try await alice.sync(service)
            let refused = ValidationError.Code.invalidTransition.rawValue
            #expect(results.map(\.code) == [nil, nil, nil, nil, refused, nil, nil, nil, refused])
            #expect(results.map(\.status) == [.accepted, .accepted, .accepted, .accepted, .rejected, .accepted, .accepted, .accepted, .rejected])
            let records = try await fixture.storage.records()
            #expect(records.first { $0.entity == "order" && $0.id == order }?.value(of: "status") == .string("delivered"))
            #expect(records.first { $0.entity == "order" && $0.id == order }?.value(of: "notes") == .string("delivered to the dock"))
            #expect(records.first { $0.entity == "quote" && $0.id == quote }?.value(of: "status") == .string("accepted"))
        }
    }
}
