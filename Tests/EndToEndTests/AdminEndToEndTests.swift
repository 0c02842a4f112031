import FieldSyncTestSupport
import CRM
import Foundation
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

/// Devices → server → conflict entry → admin resolution → devices converge to the resolved
/// value, for every kind of conflict, over real HTTP on loopback.
@Suite("Admin conflict resolution end to end", .serialized)
struct AdminEndToEndTests {
    static func account(_ name: String, _ fields: [LocalOperation] = []) -> LocalEdit {
        .create("account", [.set("name", .string(name)), .set("territory", .string("east"))] + fields)
    }

    @Test("concurrent values: the admin keeps one sibling and every device shows it", arguments: StorageBackend.all)
    func concurrentValues(backend: StorageBackend) async throws {
        try await withAdminWorld(backend: backend) { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let root = try await world.device("root", role: .admin, territories: [])
            let create = Self.account("Acme Tea")
            try alice.edit(create)
            try await alice.sync()
            try await bob.sync()
            try alice.edit(.update("account", id: create.recordID, [.set("phone", .string("021-5555-0100"))]))
            try bob.edit(.update("account", id: create.recordID, [.set("phone", .string("021-5555-0199"))]))
            try await alice.sync()
            try await bob.sync()
            try await alice.sync()
            #expect(try alice.store.openConflicts().map(\.key.field) == ["phone"])

            let admin = try root.admin
            let list = try await admin.conflicts(["kind": "concurrent_values"])
            let entry = try #require(list.conflicts.first)
            #expect(entry.key.recordID == create.recordID)
            let alices = try #require(entry.competitors.first { $0.author.user == "alice" })
            let result = try await admin.resolve(id: entry.id, ConflictResolution(action: .choose, sibling: alices.dot))
            #expect(result.conflict.status == .resolvedByAdmin)

            try await alice.sync()
            try await bob.sync()
            for device in [alice, bob] {
                #expect(try device.value("account", create.recordID, "phone") == .string("021-5555-0100"))
                #expect(try device.store.openConflicts().isEmpty)
            }
            try expectConverged([alice, bob])
        }
    }

    @Test("delete vs edit: the admin deletes after all, and the delete reaches every device", arguments: StorageBackend.all)
    func deleteVersusEdit(backend: StorageBackend) async throws {
        try await withAdminWorld(backend: backend) { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let root = try await world.device("root", role: .admin, territories: [])
            let create = Self.account("Lotus Foods")
            try alice.edit(create)
            try await alice.sync()
            try await bob.sync()
            try alice.edit(.delete("account", id: create.recordID))
            try bob.edit(.update("account", id: create.recordID, [.set("notes", .string("new buyer"))]))
            try await alice.sync()
            try await bob.sync()
            try await alice.sync()
            #expect(try alice.store.record("account", id: create.recordID)?.deleteConflict == true)

            let admin = try root.admin
            let entry = try #require(try await admin.conflicts(["kind": "delete_vs_edit"]).conflicts.first)
            #expect(Set(entry.users) == ["alice", "bob"])
            _ = try await admin.resolve(id: entry.id, ConflictResolution(action: .delete, note: "customer closed"))
            try await alice.sync()
            try await bob.sync()
            for device in [alice, bob] {
                let record = try #require(try device.store.record("account", id: create.recordID))
                #expect(record.deleted)
                #expect(!record.deleteConflict)
            }
            try expectConverged([alice, bob])
        }
    }

    @Test("orphan reference: a contact made offline for a deleted account; the admin restores the account", arguments: StorageBackend.all)
    func orphanReference(backend: StorageBackend) async throws {
        try await withAdminWorld(backend: backend) { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let root = try await world.device("root", role: .admin, territories: [])
            let create = Self.account("Harbour Trading")
            try alice.edit(create)
            try await alice.sync()
            try await bob.sync()
            try alice.edit(.delete("account", id: create.recordID))
            try await alice.sync()
            // Bob is offline: he still sees the account and adds a contact to it.
            let contact = LocalEdit.create("contact", [.set("account", .string(create.recordID)), .set("name", .string("Chen Jie"))])
            try bob.edit(contact)
            try await bob.sync()
            try await alice.sync()
            #expect(try alice.store.openConflicts().map(\.key.kind).contains(.orphanReference))

            let admin = try root.admin
            let entry = try #require(try await admin.conflicts(["kind": "orphan_reference"]).conflicts.first)
            #expect(entry.key.recordID == contact.recordID)
            #expect(entry.related?.id == create.recordID)
            let detail = try await admin.conflict(id: entry.id)
            #expect(detail.related?.deleted == true)
            #expect(detail.actions.contains(.restoreTarget))
            _ = try await admin.resolve(id: entry.id, ConflictResolution(action: .restoreTarget))
            try await alice.sync()
            try await bob.sync()
            for device in [alice, bob] {
                #expect(try device.store.record("account", id: create.recordID)?.deleted == false)
                #expect(try device.value("contact", contact.recordID, "account") == .string(create.recordID))
                #expect(try device.store.openConflicts().isEmpty)
            }
            try expectConverged([alice, bob])
        }
    }

    @Test("probable duplicates: two reps create the same customer offline; the admin merges them", arguments: StorageBackend.all)
    func duplicates(backend: StorageBackend) async throws {
        try await withAdminWorld(backend: backend) { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let root = try await world.device("root", role: .admin, territories: [])
            let mine = Self.account("Golden Dragon Foods", [.set("phone", .string("+86 21 5888 1234"))])
            let theirs = Self.account("golden dragon foods", [.set("phone", .string("021-5888-1234")), .set("email", .string("Buy@GoldenDragon.cn"))])
            let visit = LocalEdit.create("activity", [
                .set("account", .string(theirs.recordID)), .set("type", .string("visit")), .set("at", .string("2026-11-20T09:00:00Z")),
            ])
            try alice.edit(mine)
            try bob.edit(theirs)
            try bob.edit(visit)
            try await alice.sync()
            try await bob.sync()

            let admin = try root.admin
            let entry = try #require(try await admin.conflicts(["kind": "probable_duplicate"]).conflicts.first)
            #expect(entry.reason?.contains("same phone 02158881234") == true)
            // The admin keeps alice's name and phone; the e-mail only bob's record has is kept.
            let merge = try await admin.mergeDuplicates(DuplicateMergeRequest(
                survivor: mine.recordID, duplicate: theirs.recordID, fields: ["name": mine.recordID, "phone": mine.recordID], note: "same shop"
            ))
            #expect(merge.repointed == [RecordReference(entity: "activity", id: visit.recordID)])
            #expect(merge.filledFields == ["email"])
            #expect(merge.closedConflicts == [entry.id])
            let closed = try await admin.conflict(id: entry.id)
            #expect(closed.conflict.status == .resolvedByAdmin)
            #expect(closed.conflict.closedBy == "root")

            try await alice.sync()
            try await bob.sync()
            for device in [alice, bob] {
                #expect(try device.value("activity", visit.recordID, "account") == .string(mine.recordID))
                #expect(try device.store.record("account", id: theirs.recordID)?.deleted == true)
                #expect(try device.value("account", mine.recordID, "email") == .string("Buy@GoldenDragon.cn"))
            }
            try expectConverged([alice, bob])

            let history = try await admin.history(entity: "activity", id: visit.recordID)
            #expect(history.entries.map(\.author.user) == ["bob", "root"])
            #expect(history.entries.last?.fields == [FieldChange(
                field: "account", old: .string(theirs.recordID), new: .string(mine.recordID),
                seen: [.string(theirs.recordID)], wrote: .string(mine.recordID), concurrentWith: []
            )])
        }
    }

    @Test("a resolution made while another device still has an offline edit of the same field: no write is lost, the new conflict is logged and resolved too", arguments: StorageBackend.all)
    func resolutionMeetsOfflineEdit(backend: StorageBackend) async throws {
        try await withAdminWorld(backend: backend) { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let carol = try await world.device("carol")
            let root = try await world.device("root", role: .admin, territories: [])
            let create = Self.account("Pearl River Supply")
            try alice.edit(create)
            try await alice.sync()
            try await bob.sync()
            try await carol.sync()
            // Alice and bob edit the phone concurrently; carol edits it too, but stays offline.
            try alice.edit(.update("account", id: create.recordID, [.set("phone", .string("111"))]))
            try bob.edit(.update("account", id: create.recordID, [.set("phone", .string("222"))]))
            try carol.edit(.update("account", id: create.recordID, [.set("phone", .string("333"))]))
            try await alice.sync()
            try await bob.sync()

            let admin = try root.admin
            let first = try #require(try await admin.conflicts().conflicts.first)
            #expect(first.competitors.count == 2)
            _ = try await admin.resolve(id: first.id, ConflictResolution(action: .value, text: "444", note: "called the shop"))
            try await alice.sync()
            #expect(try alice.value("account", create.recordID, "phone") == .string("444"))

            // Carol comes back: her write never saw the resolution, so it competes with it.
            try await carol.sync()
            let reopened = try await admin.conflicts()
            #expect(reopened.total == 1)
            let second = try #require(reopened.conflicts.first)
            #expect(second.id != first.id)
            #expect(Set(second.competitors.map(\.value)) == [.string("444"), .string("333")])
            #expect(Set(second.users) == ["root", "carol"])
            #expect(try await admin.conflict(id: first.id).conflict.status == .resolvedByAdmin, "the first resolution stays on record")

            let carols = try #require(second.competitors.first { $0.author.user == "carol" })
            _ = try await admin.resolve(id: second.id, ConflictResolution(action: .choose, sibling: carols.dot))
            for device in [alice, bob, carol] {
                try await device.sync()
            }
            for device in [alice, bob, carol] {
                #expect(try device.value("account", create.recordID, "phone") == .string("333"))
                #expect(try device.store.openConflicts().isEmpty)
                #expect(try device.store.pendingChanges().isEmpty)
            }
            try expectConverged([alice, bob, carol])
            #expect(try await admin.conflicts().total == 0)
        }
    }
}
