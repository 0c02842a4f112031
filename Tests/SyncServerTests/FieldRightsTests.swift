import CRM
import FieldSyncTestSupport
import Foundation
import SyncCore
import Testing

@testable import SyncServer

/// Field-level rights (issue 16 item 2): the stamps workflows own are written by a rep's device
/// only as the workflow writes them, in the change that moves the field they belong to;
/// managers and admins may correct them, and the correction is in the record's history.
@Suite("Field-level rights: stamps workflows own")
struct FieldRightsTests {
    static let code = ValidationError.Code.workflowOwnedField.rawValue

    /// A ticket opened at 09:00 and resolved at 11:00 by rep alice's workflow, synced.
    static func resolvedTicket(_ alice: inout LoyaltyDevice, _ service: SyncService<TestStore>) async throws -> (account: RecordID, ticket: RecordID) {
        let account = try alice.createAccount()
        let ticket = RecordIDs.make()
        alice.outbox.append(try alice.replica.write("ticket", ticket, [
            .set("account", account), .set("title", "发票错误"), .set("category", "complaint"), .set("severity", "high"),
            .set("status", "open"), .set("opened_at", "2026-11-20T01:00:00Z"),
        ]))
        alice.outbox.append(try alice.replica.write("ticket", ticket, [
            .set("status", "resolved"), .set("first_response_at", "2026-11-20T03:00:00Z"), .set("resolved_at", "2026-11-20T03:00:00Z"),
        ]))
        let results = try await alice.sync(service)
        #expect(results.map(\.status) == [.accepted, .accepted, .accepted], "the workflow's own writes pass")
        return (account, ticket)
    }

    /// Runs `body` with a fresh fixture and alice's resolved ticket.
    static func withResolvedTicket(
        _ backend: StorageBackend,
        _ body: (ServerFixture, SyncService<TestStore>, inout LoyaltyDevice, RecordID, RecordID) async throws -> Void
    ) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            let (account, ticket) = try await resolvedTicket(&alice, service)
            try await body(fixture, service, &alice, account, ticket)
        }
    }

    @Test("a rep's hand-made push rewriting a stamp is refused whole, with the stable code", arguments: StorageBackend.all)
    func repPushIsRefused(backend: StorageBackend) async throws {
        try await Self.withResolvedTicket(backend) { fixture, service, alice, account, ticket in
            let before = try await fixture.dump()

            // The resolution time moved back by hand, with an innocent field beside it.
            alice.outbox.append(alice.replica.unappliedChange("ticket", ticket, [
                .set("resolved_at", "2026-11-20T01:30:00Z"), .set("description", "customer called twice"),
            ]))
            // A tier written without the classification's day, and a deal's close day alone.
            alice.outbox.append(alice.replica.unappliedChange("account", account, [.set("tier", "A")]))
            var results = try await alice.sync(service)
            #expect(results.map(\.code) == [Self.code, Self.code])
            #expect(results.allSatisfy { $0.status == .rejected })
            #expect(results.first?.message?.contains("fieldsync ticket") == true, "the refusal names the workflow to use")
            #expect(results.last?.message?.contains("fieldsync classify") == true)
            #expect(try await fixture.dump() == before, "nothing of either change is stored: no record, log entry or conflict moved")

            // Cleared by hand is a rewrite too.
            alice.outbox.append(alice.replica.unappliedChange("ticket", ticket, [.set("first_response_at", .null)]))
            results = try await alice.sync(service)
            #expect(results.map(\.code) == [Self.code])

            // The same stamps as their workflows write them pass: with the status, with the day.
            alice.outbox.append(try alice.replica.write("ticket", ticket, [.set("status", "in_progress"), .set("resolved_at", .null)]))
            alice.outbox.append(try alice.replica.write("account", account, [.set("tier", "A"), .set("classified_on", "2026-11-20")]))
            results = try await alice.sync(service)
            #expect(results.map(\.status) == [.accepted, .accepted])
            let records = try await fixture.storage.records()
            #expect(records.first { $0.id == ticket }?.value(of: "resolved_at") == .null)
            #expect(records.first { $0.id == account }?.value(of: "tier") == .string("A"))
        }
    }

    @Test("a manager corrects a stamp; the correction is in the admin history under the manager's name", arguments: StorageBackend.all)
    func managerCorrectionIsInHistory(backend: StorageBackend) async throws {
        try await Self.withResolvedTicket(backend) { fixture, service, alice, _, ticket in
            // The rep may not make this correction; her manager may.
            alice.outbox.append(alice.replica.unappliedChange("ticket", ticket, [.set("resolved_at", "2026-11-20T03:45:00Z")]))
            #expect(try await alice.sync(service).map(\.code) == [Self.code])
            var mia = LoyaltyDevice(replica: try await fixture.enroll("mia", role: .manager, territories: ["east"]), fixture: fixture)
            try await mia.sync(service)
            // Her correction still keeps the record's rules: not resolved before it was answered.
            mia.outbox.append(mia.replica.unappliedChange("ticket", ticket, [.set("resolved_at", "2026-11-20T02:15:00Z")]))
            #expect(try await mia.sync(service).map(\.code) == [ValidationError.Code.invalidValue.rawValue])
            mia.outbox.append(try mia.replica.write("ticket", ticket, [.set("resolved_at", "2026-11-20T03:45:00Z")]))
            let results = try await mia.sync(service)
            #expect(results.map(\.status) == [.accepted])

            let history = try #require(try await fixture.storage.recordHistory(entity: "ticket", id: ticket))
            let correction = try #require(history.entries.last)
            #expect(correction.author.user == "mia")
            let field = try #require(correction.fields.first { $0.field == "resolved_at" })
            #expect(field.old == .string("2026-11-20T03:00:00Z"))
            #expect(field.new == .string("2026-11-20T03:45:00Z"))
            #expect(history.current?.values["resolved_at"] == .string("2026-11-20T03:45:00Z"))

            // Alice's device receives the correction like any edit.
            try await alice.sync(service)
            #expect(alice.replica.record("ticket", ticket)?.value(of: "resolved_at") == .string("2026-11-20T03:45:00Z"))
        }
    }

    @Test("a rep's push changing the legacy loyalty_points is refused whole, up or down; creation, the server's opening and a manager's raise pass", arguments: StorageBackend.all)
    func legacyPointsAreNotARepsToWrite(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            // An account created with its old points (an import) passes.
            let account = try alice.createAccount(legacyPoints: 120)
            #expect(try await alice.sync(service).map(\.status) == [.accepted])
            let before = try await fixture.dump()

            let points = { (increments: Int64, decrements: Int64) in
                FieldOperation(field: "loyalty_points", operation: .counter(increments: increments, decrements: decrements))
            }
            alice.outbox.append(alice.replica.unappliedChange("account", account, [points(620, 0), .set("notes", "big order")]))
            alice.outbox.append(alice.replica.unappliedChange("account", account, [points(120, 50)]))
            let results = try await alice.sync(service)
            #expect(results.map(\.code) == [Self.code, Self.code])
            #expect(results.allSatisfy { $0.status == .rejected })
            #expect(results.allSatisfy { $0.message?.contains("fieldsync points earn") == true }, "the refusal names the points commands")
            #expect(try await fixture.dump() == before, "nothing of either change is stored")

            // A manager raises the old counter (a correction, in the history under her name);
            // lowering it stays refused for everyone, since escrow may stand on those points.
            var mia = LoyaltyDevice(replica: try await fixture.enroll("mia", role: .manager, territories: ["east"]), fixture: fixture)
            try await mia.sync(service)
            mia.outbox.append(try mia.replica.write("account", account, [points(30, 0)]))
            mia.outbox.append(try mia.replica.write("account", account, [points(30, 10)]))
            #expect(try await mia.sync(service).map(\.code) == [nil, LoyaltyErrorCode.counterDecrement.rawValue])
            let history = try #require(try await fixture.storage.recordHistory(entity: "account", id: account))
            #expect(history.entries.last?.author.user == "mia")
            #expect(history.current?.values["loyalty_points"] == .int(150))

            // The server's own opening still moves the counter into the ledger at a request.
            try alice.write(.request, 50, account: account)
            try await alice.sync(service)
            let ledger = try await fixture.serverLedger(account)
            #expect(ledger.legacyPoints == 0)
            #expect(ledger.balance == 150)
        }
    }

    @Test("the rule is a function of the change alone: creations and deletes pass, updates need their workflow's field")
    func ruleOfTheChange() throws {
        let ticket = try #require(CRMSchema.schema.entity("ticket"))
        var replica = TestReplica(replica: ReplicaID(), token: "")
        let id = RecordIDs.make()
        let creation = try replica.write("ticket", id, [
            .set("account", RecordIDs.make()), .set("title", "t"), .set("category", "complaint"), .set("severity", "low"),
            .set("status", "resolved"), .set("opened_at", "2026-11-20T01:00:00Z"), .set("resolved_at", "2026-11-20T02:00:00Z"),
        ])
        #expect(ticket.workflowRefusal(of: creation) == nil, "a creation sets first values (an import, a ticket opened with its time)")
        let handEdit = replica.unappliedChange("ticket", id, [.set("opened_at", "2026-11-19T01:00:00Z")])
        #expect(ticket.workflowRefusal(of: handEdit)?.code == .workflowOwnedField)
        let delete = replica.unappliedChange("ticket", id, [.delete])
        #expect(ticket.workflowRefusal(of: delete) == nil)
        let notes = replica.unappliedChange("ticket", id, [.set("description", "more detail")])
        #expect(ticket.workflowRefusal(of: notes) == nil)
    }
}
