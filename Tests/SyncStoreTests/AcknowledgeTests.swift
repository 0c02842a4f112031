import SyncCore
import SyncStore
import Testing

/// The server's per-change results: accepted and duplicate changes leave the outbox, rejected
/// ones stay with the reason.
@Suite struct AcknowledgeTests {
    @Test func acceptedLeaveRejectedStayWithTheirReason() throws {
        let store = try Stores.memory()
        let account = RecordIDs.make()
        let changes = try store.apply([Sample.account(account), Sample.contact(account: account), Sample.opportunity(account: account)])
        try store.acknowledge([
            ChangeResult(dot: changes[0].dot, status: .accepted, sequence: 1),
            ChangeResult(dot: changes[1].dot, status: .duplicate),
            ChangeResult(dot: changes[2].dot, status: .rejected, code: "out_of_scope", message: "account is not in your territories"),
        ])
        let outbox = try store.outbox()
        #expect(outbox.map(\.change) == [changes[2]])
        #expect(outbox.first?.rejectCode == "out_of_scope")
        #expect(outbox.first?.rejectMessage == "account is not in your territories")
        #expect(outbox.first?.attempts == 1)
        let status = try store.status()
        #expect(status.pendingChanges == 1 && status.rejectedChanges == 1)
        #expect(try store.rejectedChanges() == outbox)
        // The record itself stays as edited: a rejection is shown, never silently undone.
        #expect(try store.records("opportunity").count == 1)
    }

    @Test func resultsForAnotherReplicaAreIgnored() throws {
        let store = try Stores.memory()
        let change = try store.apply(Sample.account())
        try store.acknowledge([ChangeResult(dot: Dot(replica: ReplicaID(), counter: change.dot.counter), status: .accepted)])
        #expect(try store.outbox().count == 1)
    }

    @Test func aRejectedChangeAcceptedOnRetryLeaves() throws {
        let store = try Stores.memory()
        let change = try store.apply(Sample.account())
        try store.acknowledge([ChangeResult(dot: change.dot, status: .rejected, code: "clock_skew", message: "too far ahead")])
        try store.acknowledge([ChangeResult(dot: change.dot, status: .rejected, code: "clock_skew", message: "too far ahead")])
        #expect(try store.outbox().first?.attempts == 2)
        try store.acknowledge([ChangeResult(dot: change.dot, status: .accepted, sequence: 4)])
        #expect(try store.outbox().isEmpty)
        #expect(try store.pendingChanges().isEmpty)
    }
}
