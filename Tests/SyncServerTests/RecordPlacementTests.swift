import CRM
import FieldSyncTestSupport
import SyncCore
import Testing

@testable import SyncServer

/// A stored record's derived columns — where it sits (`territory`, `account_id`), whether it is
/// deleted, its bootstrap priority days — are a function of its state, and `updated_seq` names
/// its newest log entry. On SQLite an edit that keeps the derived columns writes only the state
/// and the sequence (`SyncSQL.updateRecordInPlace`), and the rest goes through the whole
/// upsert: whichever path a change takes, the row must end as its state says.
@Suite("Record placement columns")
struct RecordPlacementTests {
    @Test("a stored record's derived columns follow its state through edits, moves, a new account and deletion", arguments: StorageBackend.all)
    func derivedColumnsFollowState(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            var replica = TestReplica(replica: ReplicaID(), token: "")
            let author = ChangeAuthor(user: "alice", device: replica.replica.rawValue, receivedAt: nowMilliseconds())
            let (first, second, contact, activity) = (newRecordID(), newRecordID(), newRecordID(), newRecordID())
            let steps: [(String, [Change])] = [
                ("create", [
                    try replica.write("account", first, accountFields(name: "Acme Foods", territory: "east")),
                    try replica.write("account", second, accountFields(name: "Harbour Trading", territory: "west")),
                    try replica.write("contact", contact, [.set("account", first), .set("name", "Li Wei")]),
                    try replica.write("activity", activity, [
                        .set("account", first), .set("type", "visit"), .set("at", "2026-12-01T09:00:00Z"), .set("next_follow_up", "2026-12-08"),
                    ]),
                ]),
                ("edit, placement kept", [
                    try replica.write("account", first, [.set("name", "Acme Foods Ltd")]),
                    try replica.write("contact", contact, [.set("name", "Li Wei (buyer)")]),
                    try replica.write("activity", activity, [.set("subject", "tasting")]),
                ]),
                ("move", [try replica.write("account", first, [.set("territory", "north")])]),
                ("new account", [try replica.write("contact", contact, [.set("account", second)])]),
                ("priority days", [
                    try replica.write("activity", activity, [.set("follow_up_done", .bool(true)), .set("at", "2026-12-02T10:00:00Z")]),
                ]),
                ("delete", [try replica.write("contact", contact, [.delete]), try replica.write("activity", activity, [.delete])]),
                ("edit after", [try replica.write("account", second, [.set("phone", "021-5555-0100")])]),
            ]
            for (step, changes) in steps {
                let results = try await fixture.storage.applyChanges(changes, author: author, scope: .everything)
                #expect(results.map(\.status) == Array(repeating: .accepted, count: changes.count), "\(step): \(results)")
                let rows = try await fixture.storage.read { db in try await SQLRow.fetchAll(db, sql: TestSQL.derivedColumns) }
                #expect(rows.count == 4, "\(step)")
                for row in rows {
                    let state = try CanonicalJSON(stored: row["state"] as String).decoded(as: RecordState.self)
                    let derived = MaterializedRecord(state: state, schema: CRMSchema.schema)
                    func text(_ value: String?) -> String { value ?? "NULL" }
                    let stored = [text(row["territory"]), text(row["account_id"]), "\(row["deleted"] as Int64)", text(row["priority_due"]), text(row["priority_day"])]
                    let expected = [text(derived.territory), text(derived.accountID), derived.isDeleted ? "1" : "0", text(derived.priorityDue), text(derived.priorityDay)]
                    #expect(stored == expected, "\(step): \(state.entity) \(state.id)")
                    #expect(row["updated_seq"] as Int64 == row["newest"] as Int64, "\(step): \(state.entity) \(state.id)")
                }
            }
            // The steps did move what they say: the account, the contact, the activity's days.
            let states = try await fixture.storage.records()
            #expect(states.first { $0.id == first }?.value(of: "territory") == .string("north"))
            #expect(states.first { $0.id == contact }.map { $0.isDeleted(policy: CRMSchema.schema.entity("contact")!.deletionPolicy) } == true)
        }
    }
}
