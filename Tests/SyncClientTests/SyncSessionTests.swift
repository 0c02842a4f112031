import Foundation
import SyncClient
import SyncCore
import Testing

@Suite("SyncSession state machine")
struct SyncSessionTests {
    let replica = ReplicaID()

    func change(_ counter: UInt64) -> Change {
        Change(
            entity: "account", recordID: "00000000-0000-7000-8000-000000000001",
            dot: Dot(replica: replica, counter: counter), hlc: HLC(physical: 1), context: VersionVector(),
            operations: [FieldOperation(field: "name", operation: .assign(.string("n\(counter)")))]
        )
    }

    @Test("a fresh device asks for a snapshot and pushes its outbox in dot order")
    func freshDeviceBootstraps() {
        var session = SyncSession(replica: replica, batchSize: 10)
        let request = session.makeRequest(outbox: [change(1), change(2)], cursor: nil, bootstrap: nil, clientTime: 1000)
        #expect(request.cursor == nil)
        #expect(request.bootstrap == BootstrapCursor())
        #expect(request.changes.map(\.dot.counter) == [1, 2])
        #expect(request.protocolVersion == SyncProtocol.version)
    }

    @Test("snapshot pages continue until the last one, then the log is pulled once more")
    func snapshotThenLog() {
        var session = SyncSession(replica: replica)
        _ = session.makeRequest(outbox: [], cursor: nil, bootstrap: nil, clientTime: 0)
        let next = BootstrapCursor(highWater: 7, afterEntity: "account", afterID: "x")
        let first = SyncResponse(serverTime: 0, results: [], changes: [], cursor: nil, hasMore: true,
                                 snapshot: SnapshotPage(records: [], next: next, highWater: 7))
        let actions = session.receive(first, receivedAt: 0)
        #expect(actions.contains(.applySnapshot(SnapshotPage(records: [], next: next, highWater: 7))))
        #expect(!session.isFinished)
        let second = session.makeRequest(outbox: [], cursor: nil, bootstrap: next, clientTime: 0)
        #expect(second.bootstrap == next)
        let last = SyncResponse(serverTime: 0, results: [], changes: [], cursor: nil, hasMore: false,
                                snapshot: SnapshotPage(records: [], next: nil, highWater: 7))
        _ = session.receive(last, receivedAt: 0)
        #expect(!session.isFinished, "after the last snapshot page the device must pull the log from the high-water mark")
        let third = session.makeRequest(outbox: [], cursor: 7, bootstrap: nil, clientTime: 0)
        #expect(third.cursor == 7)
        #expect(third.bootstrap == nil)
        _ = session.receive(SyncResponse(serverTime: 0, results: [], changes: [], cursor: 7, hasMore: false), receivedAt: 0)
        #expect(session.isFinished)
    }

    @Test("a change the server keeps rejecting is pushed once per sync, so the sync ends")
    func rejectedChangeDoesNotLoop() {
        var session = SyncSession(replica: replica, batchSize: 1)
        let outbox = [change(1), change(2)]
        let first = session.makeRequest(outbox: outbox, cursor: 3, bootstrap: nil, clientTime: 0)
        #expect(first.changes.map(\.dot.counter) == [1])
        let rejected = ChangeResult(dot: outbox[0].dot, status: .rejected, code: "out_of_scope", message: "not yours")
        _ = session.receive(SyncResponse(serverTime: 0, results: [rejected], changes: [], cursor: 3, hasMore: false), receivedAt: 0)
        #expect(!session.isFinished, "change 2 has not been pushed yet")
        let second = session.makeRequest(outbox: outbox, cursor: 3, bootstrap: nil, clientTime: 0)
        #expect(second.changes.map(\.dot.counter) == [2])
        let accepted = ChangeResult(dot: outbox[1].dot, status: .accepted, sequence: 4)
        _ = session.receive(SyncResponse(serverTime: 0, results: [accepted], changes: [], cursor: 4, hasMore: false), receivedAt: 0)
        #expect(session.isFinished)
        #expect(session.summary.rejected == 1)
        #expect(session.summary.accepted == 1)
        #expect(session.summary.rejections == ["out_of_scope": 1])
    }

    @Test("the clock offset is estimated from the attempt that was answered, not from when the request was first made")
    func offsetFromTheAnsweredAttempt() {
        var session = SyncSession(replica: replica)
        _ = session.makeRequest(outbox: [], cursor: 3, bootstrap: nil, clientTime: 1_000)
        // Two minutes of failed attempts and waits; the last attempt left at 121 000 and was
        // answered 2 s later by a server whose clock agrees with the device's.
        let actions = session.receive(
            SyncResponse(serverTime: 122_000, results: [], changes: [], cursor: 3, hasMore: false), sentAt: 121_000, receivedAt: 123_000
        )
        #expect(actions.first == .setClockOffset(0))
        var old = SyncSession(replica: replica)
        _ = old.makeRequest(outbox: [], cursor: 3, bootstrap: nil, clientTime: 1_000)
        let estimated = old.receive(SyncResponse(serverTime: 122_000, results: [], changes: [], cursor: 3, hasMore: false), receivedAt: 123_000)
        #expect(estimated.first == .setClockOffset(60_000), "from the request's own time, a minute ahead")
    }

    @Test("a change refused for clock skew is pushed once more in the same sync (the store stamps it again), with the changes of that answer that waited for it, and no more")
    func clockSkewIsRetriedOnceInTheSameSync() {
        var session = SyncSession(replica: replica, batchSize: 10)
        let outbox = [change(1), change(2), change(3)]
        let first = session.makeRequest(outbox: outbox, cursor: 3, bootstrap: nil, clientTime: 0)
        #expect(first.changes.map(\.dot.counter) == [1, 2, 3])
        let refused = [
            ChangeResult(dot: outbox[0].dot, status: .rejected, code: "clock_skew", message: "ahead"),
            ChangeResult(dot: outbox[1].dot, status: .rejected, code: "missing_dependency", message: "waits for 1"),
            ChangeResult(dot: outbox[2].dot, status: .rejected, code: "out_of_scope", message: "not yours"),
        ]
        let actions = session.receive(SyncResponse(serverTime: 0, results: refused, changes: [], cursor: 3, hasMore: false), receivedAt: 0)
        #expect(actions.contains(.acknowledge(refused)), "the store stamps the refused change again when it takes the answer")
        #expect(!session.isFinished)
        let second = session.makeRequest(outbox: outbox, cursor: 3, bootstrap: nil, clientTime: 0)
        #expect(second.changes.map(\.dot.counter) == [1, 2], "the refusal for scope is not retried in this sync")
        // Refused again (a clock that is still wrong after the correction): the sync ends.
        _ = session.receive(SyncResponse(serverTime: 0, results: Array(refused.prefix(2)), changes: [], cursor: 3, hasMore: false), receivedAt: 0)
        #expect(session.isFinished)
        #expect(session.summary.rejections == ["clock_skew": 2, "missing_dependency": 2, "out_of_scope": 1])
    }

    @Test("the clock offset is the server time minus the midpoint of the round trip")
    func clockOffset() {
        var session = SyncSession(replica: replica)
        _ = session.makeRequest(outbox: [], cursor: 0, bootstrap: nil, clientTime: 10_000)
        let actions = session.receive(SyncResponse(serverTime: 70_100, results: [], changes: [], cursor: 0, hasMore: false), receivedAt: 10_200)
        #expect(actions.first == .setClockOffset(60_000))
        #expect(session.summary.clockOffsetMilliseconds == 60_000)
    }
}
