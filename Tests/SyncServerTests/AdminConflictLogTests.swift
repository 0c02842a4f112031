import FieldSyncTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import Testing

@testable import SyncServer

@Suite("Conflict log: every kind of conflict opens an entry and closes the right way")
struct AdminConflictLogTests {
    @Test("concurrent values: an entry with every competing value and its author; a later covering write closes it by edit", arguments: StorageBackend.all)
    func concurrentValues(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let list = try await client.admin(ConflictList.self, "/v1/admin/conflicts", token: scenario.admin.token)
                #expect(list.total == 1)
                let entry = try #require(list.conflicts.first)
                #expect(entry.key == ConflictKey(entity: "account", recordID: scenario.account, field: "phone", kind: .concurrentValues))
                #expect(entry.status == .open)
                #expect(entry.territory == "east")
                #expect(entry.recordLabel == "Acme Tea")
                #expect(Set(entry.users) == ["alice", "bob"])
                #expect(entry.openedBy == "bob")
                #expect(entry.competitors.count == 2)
                #expect(Set(entry.competitors.map(\.value)) == [.string("021-5555-0100"), .string("021-5555-0199")])
                for competitor in entry.competitors {
                    #expect(competitor.author.receivedAt != nil)
                    #expect(competitor.author.deviceName?.hasSuffix("'s phone") == true)
                    #expect(competitor.author.sequence != nil)
                    #expect(competitor.hlc.physical > 0)
                }
                #expect(entry.competitors.filter(\.isDisplayed).count == 1)
                #expect(entry.displayed == entry.competitors.first(where: \.isDisplayed)?.label)
                let detail = try await client.admin(ConflictDetail.self, "/v1/admin/conflicts/\(entry.id)", token: scenario.admin.token)
                #expect(detail.before?.values["phone"] == nil, "before the conflict is what both writers had seen: no phone, not alice's")
                #expect(detail.before?.values["name"] == .string("Acme Tea"))

                // Alice pulls both siblings, then writes over them: resolved by her edit.
                try await client.syncUntilDone(&scenario.alice)
                let settle = try scenario.alice.write("account", scenario.account, [.set("phone", "021-5555-0123")])
                try await client.syncUntilDone(&scenario.alice, pushing: [settle])
                let closed = try await client.admin(ConflictList.self, "/v1/admin/conflicts?status=all", token: scenario.admin.token)
                let after = try #require(closed.conflicts.first)
                #expect(after.status == .resolvedByEdit)
                #expect(after.closedBy == "alice")
                #expect(after.resolution == "now 021-5555-0123")
                #expect(after.competitors.count == 2, "the competing values are kept as they were when it closed")
            }
        }
    }

    @Test("admin picks a sibling: a server change covering both, the entry resolved by admin, every device converges", arguments: StorageBackend.all)
    func resolveByChoosing(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                let bobs = try #require(entry.competitors.first { $0.value == .string("021-5555-0199") })
                let result = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(entry.id)/resolve",
                    ConflictResolution(action: .choose, sibling: bobs.dot, note: "bob called them"), token: scenario.admin.token
                )
                #expect(result.conflict.status == .resolvedByAdmin)
                #expect(result.conflict.closedBy == "root")
                #expect(result.conflict.resolution == "choose: 021-5555-0199 — bob called them")
                #expect(result.sequences.count == 1)

                let serverReplica = try await fixture.storage.serverReplica()
                let stored = try #require(try await fixture.storage.record(entity: "account", id: scenario.account))
                #expect(stored.fields["phone"]?.register?.siblings.count == 1)
                #expect(stored.fields["phone"]?.register?.siblings.first?.dot.replica == serverReplica)

                try await client.syncUntilDone(&scenario.alice)
                try await client.syncUntilDone(&scenario.bob)
                for replica in [scenario.alice, scenario.bob] {
                    let record = try #require(replica.record("account", scenario.account))
                    #expect(record.value(of: "phone") == .string("021-5555-0199"))
                    #expect(record.openConflicts.isEmpty)
                }
                #expect(scenario.alice.sortedRecords == (try await fixture.storage.records()))

                // A second resolution of the same entry is refused: it is no longer open.
                let again = try await client.postJSON(
                    "/v1/admin/conflicts/\(entry.id)/resolve", ConflictResolution(action: .value, text: "x"), token: scenario.admin.token
                )
                #expect(again.status == .conflict)
                #expect(try errorCode(again) == "conflict_not_open")
            }
        }
    }

    @Test("two devices writing the same value concurrently open no entry (one price list imported on both)", arguments: StorageBackend.all)
    func identicalValues(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                let account = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "Acme Tea"))])
                try await client.syncUntilDone(&bob)
                let fromAlice = try alice.write("account", account, [.set("phone", "021-5555-0100"), .set("city", "上海")])
                let fromBob = try bob.write("account", account, [.set("phone", "021-5555-0100"), .set("city", "Shanghai")])
                try await client.syncUntilDone(&alice, pushing: [fromAlice])
                try await client.syncUntilDone(&bob, pushing: [fromBob])
                let open = try await fixture.storage.conflicts(openOnly: true)
                #expect(open.map(\.key.field) == ["city"], "the phone both wrote is no conflict; the city is")
                let stored = try #require(try await fixture.storage.record(entity: "account", id: account))
                #expect(stored.fields["phone"]?.register?.siblings.count == 2)
            }
        }
    }

    @Test("resolving a field a workflow sets with others resolves them all to the chosen side: stage with probability, close date and lost reason", arguments: StorageBackend.all)
    func coupledFields(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                let account = newRecordID()
                let deal = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [
                    try alice.write("account", account, accountFields(name: "Acme Tea")),
                    try alice.write("opportunity", deal, [
                        .set("account", account), .set("title", "Tea kiosks"), .set("stage", "proposal"), .set("probability", .int(50)),
                        .set("notes", "first visit"),
                    ]),
                ])
                try await client.syncUntilDone(&bob)
                // Offline, alice moves the deal on; bob marks it lost with a reason.
                let forward = try alice.write("opportunity", deal, [.set("stage", "negotiation"), .set("probability", .int(70)), .set("notes", "wants a discount")])
                let lost = try bob.write("opportunity", deal, [
                    .set("stage", "lost"), .set("probability", .int(0)), .set("closed_on", "2026-12-01"), .set("lost_reason", "price"),
                    .set("notes", "buyer left"),
                ])
                try await client.syncUntilDone(&alice, pushing: [forward])
                try await client.syncUntilDone(&bob, pushing: [lost])
                let open = try await fixture.storage.conflicts(openOnly: true)
                #expect(Set(open.map(\.key.field)) == ["stage", "probability", "notes"])
                let stage = try #require(open.first { $0.key.field == "stage" })
                let alices = try #require(stage.competitors.first { $0.value == .string("negotiation") })
                let result = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(stage.id)/resolve",
                    ConflictResolution(action: .choose, sibling: alices.dot), token: admin.token
                )
                #expect(result.sequences.count == 1, "one server change settles the move")
                let record = try #require(try await fixture.storage.record(entity: "opportunity", id: deal))
                #expect(record.value(of: "stage") == .string("negotiation"))
                #expect(record.value(of: "probability") == .int(70))
                #expect(record.value(of: "closed_on") == .null, "the losing move's close date goes with it")
                #expect(record.value(of: "lost_reason") == .null)
                let still = try await fixture.storage.conflicts(openOnly: true)
                #expect(still.map(\.key.field) == ["notes"], "the probability conflict closed with the stage; notes are not part of the move")
                let probability = try #require(try await fixture.storage.conflicts(openOnly: false).first { $0.key.field == "probability" })
                #expect(probability.status == .resolvedByEdit)
                #expect(probability.displayed == "70")
                try await client.syncUntilDone(&alice)
                try await client.syncUntilDone(&bob)
                #expect(alice.record("opportunity", deal) == bob.record("opportunity", deal))
                #expect(bob.record("opportunity", deal)?.value(of: "lost_reason") == .null)
            }
        }
    }

    @Test("a closed entry shows its outcome: the chosen value kept and the others rejected, a typed value, a covering edit", arguments: StorageBackend.all)
    func outcomes(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                // The admin keeps the value readers did not see while it was open.
                let chosen = try await ConcurrentPhoneScenario.make(fixture, client)
                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                let loser = try #require(entry.competitors.first { !$0.isDisplayed })
                let result = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(entry.id)/resolve",
                    ConflictResolution(action: .choose, sibling: loser.dot), token: chosen.admin.token
                )
                #expect(result.conflict.displayed == loser.label, "the outcome, not the value displayed while it was open")
                #expect(result.conflict.competitors.filter(\.isDisplayed).map(\.dot) == [loser.dot], "only the chosen value is marked kept")
                let listed = try #require(try await fixture.storage.conflicts(openOnly: false).first { $0.id == entry.id })
                #expect(listed == result.conflict)

                // A typed value: it is the outcome, and both competing values were rejected.
                let typed = try await ConcurrentPhoneScenario.make(fixture, client)
                let second = try #require(try await fixture.storage.conflicts(openOnly: true).first { $0.key.recordID == typed.account && $0.key.kind == .concurrentValues })
                let answer = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(second.id)/resolve",
                    ConflictResolution(action: .value, text: "021-5555-0777"), token: typed.admin.token
                )
                #expect(answer.conflict.displayed == "021-5555-0777")
                #expect(answer.conflict.competitors.count == 2)
                #expect(answer.conflict.competitors.allSatisfy { !$0.isDisplayed })

                // A covering edit by a rep closes it the same way.
                var edited = try await ConcurrentPhoneScenario.make(fixture, client)
                let third = try #require(try await fixture.storage.conflicts(openOnly: true).first { $0.key.recordID == edited.account && $0.key.kind == .concurrentValues })
                try await client.syncUntilDone(&edited.alice)
                let settle = try edited.alice.write("account", edited.account, [.set("phone", "021-5555-0123")])
                try await client.syncUntilDone(&edited.alice, pushing: [settle])
                let closed = try #require(try await fixture.storage.conflicts(openOnly: false).first { $0.id == third.id })
                #expect(closed.status == .resolvedByEdit)
                #expect(closed.displayed == "021-5555-0123")
                #expect(closed.competitors.allSatisfy { !$0.isDisplayed })
            }
        }
    }

    @Test("delete vs edit: logged with both sides; 'keep' restores the record everywhere", arguments: StorageBackend.all)
    func deleteVersusEdit(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                let account = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "Lotus Foods"))])
                try await client.syncUntilDone(&bob)
                let delete = try alice.write("account", account, [.delete])
                let edit = try bob.write("account", account, [.set("notes", "met the buyer")])
                try await client.syncUntilDone(&alice, pushing: [delete])
                try await client.syncUntilDone(&bob, pushing: [edit])

                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                #expect(entry.key.kind == .deleteVsEdit)
                #expect(Set(entry.competitors.map(\.label)) == ["deleted", "edited notes"])
                #expect(entry.displayed == "kept")
                let detail = try await client.admin(ConflictDetail.self, "/v1/admin/conflicts/\(entry.id)", token: admin.token)
                #expect(detail.actions == [.keep, .delete])
                #expect(detail.before?.deleted == false, "both writers had seen the record live: that is before the conflict")
                #expect(detail.before?.values["notes"] == nil)
                #expect(detail.after?.deleteConflict == true)

                _ = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(entry.id)/resolve", ConflictResolution(action: .keep), token: admin.token
                )
                try await client.syncUntilDone(&alice)
                try await client.syncUntilDone(&bob)
                for replica in [alice, bob] {
                    let record = try #require(replica.record("account", account))
                    #expect(record.existence.siblings.map(\.value) == [.bool(true)])
                    #expect(record.value(of: "notes") == .string("met the buyer"))
                }
            }
        }
    }

    @Test("orphans both ways: a contact for a deleted account, and an account deleted under its contacts; restoring settles them", arguments: StorageBackend.all)
    func orphanReferences(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                let account = newRecordID()
                let existing = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [
                    try alice.write("account", account, accountFields(name: "Harbour Trading")),
                    try alice.write("contact", existing, [.set("account", account), .set("name", "Li Wei")]),
                ])
                try await client.syncUntilDone(&bob)
                // Alice deletes the account; bob, offline, adds a contact to it.
                let delete = try alice.write("account", account, [.delete])
                let contact = newRecordID()
                let create = try bob.write("contact", contact, [.set("account", account), .set("name", "Chen Jie")])
                try await client.syncUntilDone(&alice, pushing: [delete])
                try await client.syncUntilDone(&bob, pushing: [create])

                let open = try await fixture.storage.conflicts(openOnly: true).filter { $0.key.kind == .orphanReference }
                #expect(Set(open.map(\.key.recordID)) == [existing, contact])
                let entry = try #require(open.first { $0.key.recordID == contact })
                #expect(entry.related == RecordReference(entity: "account", id: account))
                #expect(entry.key.field == "account")
                #expect(entry.openedBy == "bob")
                #expect(entry.reason == "account names account 'Harbour Trading', which was deleted")
                #expect(entry.competitors.map(\.author.user) == ["bob", "alice"])
                let first = try #require(open.first { $0.key.recordID == existing })
                #expect(first.openedBy == "alice", "alice's delete orphaned the contact she had")

                let detail = try await client.admin(ConflictDetail.self, "/v1/admin/conflicts/\(entry.id)", token: admin.token)
                #expect(detail.actions == [.value, .restoreTarget, .delete])
                _ = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(entry.id)/resolve", ConflictResolution(action: .restoreTarget), token: admin.token
                )
                let all = try await fixture.storage.conflicts(openOnly: false).filter { $0.key.kind == .orphanReference }
                #expect(all.first { $0.id == entry.id }?.status == .resolvedByAdmin)
                #expect(all.first { $0.id == first.id }?.status == .resolvedByEdit, "the restore settled the other orphan too")
                try await client.syncUntilDone(&alice)
                try await client.syncUntilDone(&bob)
                #expect(alice.record("account", account)?.isDeleted(policy: .updateWins) == false)
                #expect(bob.record("account", account)?.isDeleted(policy: .updateWins) == false)
            }
        }
    }

    @Test("a reference to a record the server never saw is an orphan; pointing it at a live record settles it", arguments: StorageBackend.all)
    func unknownTarget(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var admin = try await fixture.enroll("root", role: .admin, territories: [])
                let real = newRecordID()
                let ghost = newRecordID()
                let contact = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", real, accountFields(name: "Real Co"))])
                // A child of an account the server does not have sits in nobody's territory:
                // only an admin (or an import) can write one; a rep's push is out of scope.
                try await client.syncUntilDone(&admin, pushing: [
                    try admin.write("contact", contact, [.set("account", ghost), .set("name", "Wang Fang")]),
                ])
                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                #expect(entry.key.kind == .orphanReference)
                #expect(entry.reason == "account names account \(ghost), which is not on the server")
                let detail = try await client.admin(ConflictDetail.self, "/v1/admin/conflicts/\(entry.id)", token: admin.token)
                #expect(detail.actions == [.value, .delete])

                let refused = try await client.postJSON(
                    "/v1/admin/conflicts/\(entry.id)/resolve", ConflictResolution(action: .value, text: newRecordID()), token: admin.token
                )
                #expect(refused.status == .badRequest)
                let result = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(entry.id)/resolve", ConflictResolution(action: .value, text: real), token: admin.token
                )
                #expect(result.conflict.status == .resolvedByAdmin)
                try await client.syncUntilDone(&alice)
                #expect(alice.record("contact", contact)?.value(of: "account") == .string(real))
            }
        }
    }

    @Test("probable duplicates by phone, e-mail and name+city; merging re-points children and deletes the twin", arguments: StorageBackend.all)
    func duplicatesAndMerge(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                let first = newRecordID()
                let second = newRecordID()
                let unrelated = newRecordID()
                let contact = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [
                    try alice.write("account", first, accountFields(name: "Acme Tea Co.") + [.set("phone", "+86 138 1234 5678"), .set("city", "上海市")])
                ])
                try await client.syncUntilDone(&bob, pushing: [
                    try bob.write("account", second, accountFields(name: "ACME  tea co") + [.set("phone", "138-1234-5678"), .set("city", "上海"), .set("email", "buyer@acme.cn")]),
                    try bob.write("contact", contact, [.set("account", second), .set("name", "Zhao Lei")]),
                    try bob.write("account", unrelated, accountFields(name: "Other Ltd") + [.set("phone", "13900000000")]),
                ])
                let open = try await fixture.storage.conflicts(openOnly: true)
                #expect(open.count == 1)
                let entry = try #require(open.first)
                #expect(entry.key.kind == .probableDuplicate)
                #expect(entry.key.recordID == second)
                #expect(entry.related == RecordReference(entity: "account", id: first))
                #expect(entry.reason == "same name and city, same phone 13812345678")
                #expect(Set(entry.users) == ["alice", "bob"])
                #expect(entry.competitors.map(\.recordID) == [second, first])
                // Field by field: bob's record is newer, so its values are picked where they
                // differ; the territory both have is no choice.
                let detail = try await client.admin(ConflictDetail.self, "/v1/admin/conflicts/\(entry.id)", token: admin.token)
                #expect(detail.mergeDefaults == ["name": second, "phone": second, "city": second, "email": second])
                for (fields, message) in [(["nickname": first], "has no field 'nickname'"), (["name": unrelated], "must come from")] {
                    let refused = try await client.postJSON(
                        "/v1/admin/conflicts/\(entry.id)/resolve", ConflictResolution(action: .merge, survivor: first, fields: fields), token: admin.token
                    )
                    #expect(refused.status == .badRequest)
                    #expect(try errorCode(refused) == "invalid_request")
                    #expect(String(buffer: refused.body).contains(message))
                }
                #expect(try await fixture.storage.conflicts(openOnly: true).count == 1, "a refused merge wrote nothing")

                let result = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(entry.id)/resolve",
                    ConflictResolution(action: .merge, survivor: first, fields: ["name": first]), token: admin.token
                )
                #expect(result.conflict.status == .resolvedByAdmin)
                #expect(result.sequences.count == 3, "re-point the contact, fill the e-mail, delete the twin")
                #expect(result.conflict.displayed == "merged ACME  tea co into Acme Tea Co.", "not 'both records kept'")
                #expect(result.conflict.competitors.filter(\.isDisplayed).map(\.recordID) == [first], "the twin is marked as merged away")
                try await client.syncUntilDone(&alice)
                try await client.syncUntilDone(&bob)
                for replica in [alice, bob] {
                    #expect(replica.record("contact", contact)?.value(of: "account") == .string(first))
                    #expect(replica.record("account", first)?.value(of: "email") == .string("buyer@acme.cn"))
                    #expect(replica.record("account", first)?.value(of: "name") == .string("Acme Tea Co."), "the admin kept this name")
                    #expect(replica.record("account", first)?.value(of: "city") == .string("上海"), "the newer city by default")
                    #expect(replica.record("account", second)?.isDeleted(policy: .updateWins) == true)
                }
                #expect(try await fixture.storage.conflicts(openOnly: true).isEmpty, "the merge orphaned nothing")

                // An admin-judged pair does not come back when a record is touched again.
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", first, [.set("notes", "merged")])])
                #expect(try await fixture.storage.conflicts(openOnly: true).isEmpty)
            }
        }
    }

    @Test("dismissing keeps the record as it is and records who and why", arguments: StorageBackend.all)
    func dismiss(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let before = try await fixture.storage.records()
                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                let empty = try await client.postJSON("/v1/admin/conflicts/\(entry.id)/dismiss", ConflictDismissal(reason: "  "), token: scenario.admin.token)
                #expect(empty.status == .badRequest)
                let result = try await client.adminPost(
                    ConflictResolutionResult.self, "/v1/admin/conflicts/\(entry.id)/dismiss", ConflictDismissal(reason: "both numbers work"),
                    token: scenario.admin.token
                )
                #expect(result.conflict.status == .dismissed)
                #expect(result.conflict.closedBy == "root")
                #expect(result.conflict.resolution == "both numbers work")
                #expect(try await fixture.storage.records() == before)
                let dismissed = try await client.admin(ConflictList.self, "/v1/admin/conflicts?status=dismissed", token: scenario.admin.token)
                #expect(dismissed.conflicts.map(\.id) == [entry.id])

                // An edit of another field leaves the dismissed conflict alone; one more
                // competing phone opens a new entry.
                var carol = try await fixture.enroll("carol")
                try await client.syncUntilDone(&carol)
                try await client.syncUntilDone(&carol, pushing: [try carol.write("account", scenario.account, [.set("notes", "called")])])
                #expect(try await fixture.storage.conflicts(openOnly: true).isEmpty)
                // Dave wrote offline, having seen only the account's creation.
                var dave = try await fixture.enroll("dave")
                try await client.syncUntilDone(&dave)
                let creation = try #require(try await fixture.storage.logPage(after: 0, limit: 1, maxBytes: 1 << 20, scope: .everything).entries.first?.decoded())
                dave.records[TestReplica.key("account", scenario.account)] = try RecordState(entity: "account", id: scenario.account).merging(creation.change).state
                try await client.syncUntilDone(&dave, pushing: [try dave.write("account", scenario.account, [.set("phone", "021-5555-0777")])])
                let reopened = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                #expect(reopened.id != entry.id)
                #expect(reopened.openedBy == "dave")
                #expect(reopened.competitors.count == 3)
            }
        }
    }

    @Test("filters: status, entity, kind, territory, user and age; counts by status", arguments: StorageBackend.all)
    func filters(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let token = scenario.admin.token
                func ids(_ query: String) async throws -> [Int64] {
                    try await client.admin(ConflictList.self, "/v1/admin/conflicts?\(query)", token: token).conflicts.map(\.id)
                }
                let id = try #require(try await fixture.storage.conflicts(openOnly: true).first?.id)
                #expect(try await ids("status=open") == [id])
                #expect(try await ids("status=closed").isEmpty)
                #expect(try await ids("entity=account") == [id])
                #expect(try await ids("entity=contact").isEmpty)
                #expect(try await ids("kind=concurrent_values") == [id])
                #expect(try await ids("kind=delete_vs_edit").isEmpty)
                #expect(try await ids("territory=east") == [id])
                #expect(try await ids("territory=west").isEmpty)
                #expect(try await ids("user=alice") == [id])
                #expect(try await ids("user=carol").isEmpty)
                #expect(try await ids("older_than=1h").isEmpty)
                #expect(try await ids("newer_than=1h") == [id])
                let list = try await client.admin(ConflictList.self, "/v1/admin/conflicts?status=open", token: token)
                #expect(list.byStatus == ["open": 1])
                #expect(list.byEntity == ["account": 1])
                let bad = try await client.getJSON("/v1/admin/conflicts?status=maybe", token: token)
                #expect(bad.status == .badRequest)
                let badAge = try await client.getJSON("/v1/admin/conflicts?older_than=soon", token: token)
                #expect(badAge.status == .badRequest)
            }
        }
    }

    @Test("record history: who, which device, when, field, old → new, from the log", arguments: StorageBackend.all)
    func history(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let history = try await client.admin(RecordHistory.self, "/v1/admin/records/account/\(scenario.account)/history", token: scenario.admin.token)
                #expect(history.entries.count == 3)
                let created = history.entries[0]
                #expect(created.created)
                #expect(created.author.user == "alice")
                #expect(created.author.deviceName == "alice's phone")
                #expect(created.fields.contains(FieldChange(field: "name", old: .null, new: .string("Acme Tea"), seen: [], wrote: .string("Acme Tea"), concurrentWith: [])))
                let alices = history.entries[1], bobs = history.entries[2]
                #expect(alices.fields == [FieldChange(
                    field: "phone", old: .null, new: .string("021-5555-0100"), seen: [], wrote: .string("021-5555-0100"), concurrentWith: [bobs.dot]
                )])
                #expect(!alices.conflicted)
                #expect(bobs.author.user == "bob")
                #expect(bobs.conflicted)
                let phone = try #require(bobs.fields.first)
                #expect(phone.old == .string("021-5555-0100"), "a reader saw alice's value before bob's arrived")
                #expect(phone.seen == [], "but bob had seen no phone: he did not overwrite alice")
                #expect(phone.wrote == .string("021-5555-0199"))
                #expect(phone.concurrentWith == [alices.dot])
                #expect(history.current?.conflictedFields == ["phone"])
                let missing = try await client.getJSON("/v1/admin/records/account/\(newRecordID())/history", token: scenario.admin.token)
                #expect(missing.status == .notFound)

                // An id prefix names the record when it names one.
                let byPrefix = try await client.admin(
                    RecordHistory.self, "/v1/admin/records/account/\(scenario.account.prefix(13))/history", token: scenario.admin.token
                )
                #expect(byPrefix.id == scenario.account)
                #expect(byPrefix.entries.count == 3)
                let cookie = try await AdminWebTests.signIn(client, fixture, as: "root")
                let page = String(buffer: try await client.getPage("/admin/records/account/\(scenario.account)/history", cookie: cookie).body)
                #expect(page.contains(#"<code>phone</code> <span class="old">—</span> → <span class="new">021-5555-0199</span>"#))
                #expect(page.contains("concurrent with alice (log #\(alices.sequence))"))
            }
        }
    }

    @Test("an id prefix naming several records is refused with their ids", arguments: StorageBackend.all)
    func ambiguousPrefix(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                let first = "0192f0c4-0000-7000-8000-00000000000a", second = "0192f0c4-0000-7000-8000-00000000000b"
                try await client.syncUntilDone(&alice, pushing: [
                    try alice.write("account", first, accountFields(name: "One")), try alice.write("account", second, accountFields(name: "Two")),
                ])
                let ambiguous = try await client.getJSON("/v1/admin/records/account/0192f0c4/history", token: admin.token)
                #expect(ambiguous.status == .badRequest)
                #expect(String(buffer: ambiguous.body).contains(first))
                #expect(String(buffer: ambiguous.body).contains(second))
                let one = try await client.admin(RecordHistory.self, "/v1/admin/records/account/0192f0c4-0000-7000-8000-00000000000b/history", token: admin.token)
                #expect(one.id == second)
                #expect(try await client.getJSON("/v1/admin/records/account/0192f0c4%25/history", token: admin.token).status == .notFound, "% is no wildcard")
            }
        }
    }
}
