import SyncCore
import Testing

@Suite("Record deletion")
struct DeletionTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB

    /// A creates the record; B (having seen the creation) edits it while A, concurrently, deletes it.
    func deleteConcurrentWithEdit(entity: String, record: RecordID, field: String) -> (create: Change, edit: Change, delete: Change) {
        let create = makeChange(entity: entity, record: record, dot: a.dot(1), hlc: 10, [assign(field, .string("created"))])
        let edit = makeChange(entity: entity, record: record, dot: b.dot(1), hlc: 20, context: VersionVector([a: 1]),
                              [assign(field, .string("edited offline"))])
        let delete = makeChange(entity: entity, record: record, dot: a.dot(2), hlc: 30, context: VersionVector([a: 1]), [.delete])
        return (create, edit, delete)
    }

    @Test("Update wins: a delete concurrent with an edit leaves the record visible and reports delete_vs_edit",
          arguments: [false, true])
    func updateWins(deleteFirst: Bool) throws {
        let (create, edit, delete) = deleteConcurrentWithEdit(entity: "lead", record: Fixtures.leadID, field: "name")
        let state = try applying([create] + (deleteFirst ? [delete, edit] : [edit, delete]), to: Fixtures.lead())
        #expect(TestSchema.lead.deletionPolicy == .updateWins)
        #expect(!state.isDeleted(policy: TestSchema.lead.deletionPolicy))
        #expect(state.hasDeleteConflict)
        #expect(state.openConflicts == [ConflictKey(entity: "lead", recordID: Fixtures.leadID, field: "", kind: .deleteVsEdit)])
        #expect(state.value(of: "name") == .string("edited offline"))
    }

    @Test("Delete wins: the record is deleted, the conflict is still reported and the edit is kept in state",
          arguments: [false, true])
    func deleteWins(deleteFirst: Bool) throws {
        let (create, edit, delete) = deleteConcurrentWithEdit(entity: "task", record: Fixtures.taskID, field: "title")
        let state = try applying([create] + (deleteFirst ? [delete, edit] : [edit, delete]), to: Fixtures.task())
        #expect(TestSchema.task.deletionPolicy == .deleteWins)
        #expect(state.isDeleted(policy: TestSchema.task.deletionPolicy))
        #expect(state.openConflicts == [ConflictKey(entity: "task", recordID: Fixtures.taskID, field: "", kind: .deleteVsEdit)])
        #expect(state.value(of: "title") == .string("edited offline"), "the edit survives in state, so an admin can restore it")
        #expect(state.version == VersionVector([a: 2, b: 1]))
    }

    @Test("A delete that saw every edit deletes under both policies, with no conflict")
    func sequentialDelete() throws {
        let (create, edit, _) = deleteConcurrentWithEdit(entity: "lead", record: Fixtures.leadID, field: "name")
        let delete = makeChange(dot: a.dot(2), hlc: 30, context: VersionVector([a: 1, b: 1]), [.delete])
        let state = try applying([create, edit, delete], to: Fixtures.lead())
        #expect(state.isDeleted(policy: .updateWins))
        #expect(state.isDeleted(policy: .deleteWins))
        #expect(state.openConflicts.isEmpty)
    }

    @Test("An edit that saw the delete brings the record back without a conflict")
    func editAfterDelete() throws {
        let create = makeChange(dot: a.dot(1), hlc: 10, [assign("name", .string("x"))])
        let delete = makeChange(dot: a.dot(2), hlc: 20, context: VersionVector([a: 1]), [.delete])
        let restore = makeChange(dot: b.dot(1), hlc: 30, context: VersionVector([a: 2]), [assign("name", .string("restored"))])
        let state = try applying([create, delete, restore], to: Fixtures.lead())
        #expect(!state.isDeleted(policy: .updateWins))
        #expect(!state.isDeleted(policy: .deleteWins))
        #expect(!state.hasDeleteConflict)
        #expect(state.value(of: "name") == .string("restored"))
    }

    @Test("A record nobody deleted is never deleted, and an unseen record is not deleted either")
    func neverDeleted() throws {
        #expect(!Fixtures.lead().isDeleted(policy: .deleteWins))
        let state = try applying([makeChange(dot: a.dot(1), hlc: 1, [assign("name", .string("x"))])], to: Fixtures.lead())
        #expect(!state.isDeleted(policy: .deleteWins))
        #expect(!state.isDeleted(policy: .updateWins))
    }

    @Test("Merging the concurrent delete opens delete_vs_edit, and a later edit that saw both closes it")
    func conflictOutcome() throws {
        let (create, edit, delete) = deleteConcurrentWithEdit(entity: "lead", record: Fixtures.leadID, field: "name")
        let edited = try applying([create, edit], to: Fixtures.lead())
        let key = ConflictKey(entity: "lead", recordID: Fixtures.leadID, field: "", kind: .deleteVsEdit)
        let opened = try edited.merging(delete)
        #expect(opened.opened == [key])
        #expect(opened.closed.isEmpty)
        let resolve = makeChange(dot: b.dot(2), hlc: 40, context: VersionVector([a: 2, b: 1]), [assign("name", .string("kept"))])
        let closed = try opened.state.merging(resolve)
        #expect(closed.closed == [key])
        #expect(closed.opened.isEmpty)
        #expect(!closed.state.isDeleted(policy: .deleteWins))
    }
}
