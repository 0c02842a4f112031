import FieldSyncTestSupport
import Foundation
import Synchronization
import SyncCore
import Testing

@testable import SyncServer

/// How many write transactions a sync round costs, and which of them wait for the change log's
/// lock on PostgreSQL.
@Suite("Writes per sync round")
struct SyncRoundWriteTests {
    /// Write transactions committed or rolled back so far, whatever their kind.
    static func writes(_ storage: TestStore) -> Int {
        if let sqlite = storage.base as? SQLiteServerStorage {
            return sqlite.groupCommit.counts.writes
        }
        let lock = storage.logLockStatistics ?? LogLockStatistics()
        return lock.lockedTransactions + lock.unlockedTransactions
    }

    @Test("a round answered with a log page is one write transaction: the push and the device's note commit together", arguments: StorageBackend.all)
    func pushAndNoteCommitOnce(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            // The first sync bootstraps, so that later rounds are answered with log pages.
            let bootstrap = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: []), from: try await fixture.device(alice))
            #expect(bootstrap.snapshot != nil)
            let device = try await fixture.device(alice)

            let account = newRecordID()
            let create = try alice.write("account", account, accountFields(name: "Acme"), physical: clock.now)
            let edit = try alice.write("account", account, [.set("city", "Beijing")], physical: clock.now)
            clock.advance(byMilliseconds: 1000)
            let before = Self.writes(fixture.storage)
            let lockBefore = fixture.storage.logLockStatistics
            let round = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [create, edit]), from: device)
            #expect(round.results.map(\.status) == [.accepted, .accepted])
            #expect(!round.resync)
            #expect(round.cursor == 2)
            #expect(Self.writes(fixture.storage) == before + 1)
            if let lockBefore, let lockAfter = fixture.storage.logLockStatistics {
                // The push appends to the log: it held the lock, once.
                #expect(lockAfter.lockedTransactions == lockBefore.lockedTransactions + 1)
                #expect(lockAfter.holdSeconds > lockBefore.holdSeconds)
            }
            // The note was in that transaction.
            let noted = try #require(try await fixture.storage.devices().first { $0.replica == alice.replica })
            #expect(noted.cursor == 0)
            #expect(noted.lastSeen == clock.now)
        }
    }

    @Test("a round that pushes nothing writes only the device's note, and on PostgreSQL does not wait for the log's lock", arguments: StorageBackend.all)
    func pullOnlyRoundTakesNoLock(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: []), from: try await fixture.device(alice))
            let account = newRecordID()
            let create = try alice.write("account", account, accountFields(name: "Acme"), physical: clock.now)
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [create]), from: try await fixture.device(alice))

            clock.advance(byMilliseconds: 1000)
            let before = Self.writes(fixture.storage)
            let lockBefore = fixture.storage.logLockStatistics
            let pull = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 1, changes: []), from: try await fixture.device(alice))
            #expect(pull.results.isEmpty)
            #expect(pull.cursor == 1)
            #expect(Self.writes(fixture.storage) == before + 1)
            if let lockBefore, let lockAfter = fixture.storage.logLockStatistics {
                #expect(lockAfter.lockedTransactions == lockBefore.lockedTransactions)
                #expect(lockAfter.unlockedTransactions == lockBefore.unlockedTransactions + 1)
            }
            let noted = try #require(try await fixture.storage.devices().first { $0.replica == alice.replica })
            #expect(noted.cursor == 1)
            #expect(noted.lastSeen == clock.now)
        }
    }

    @Test("the pages that continue a bootstrap write nothing until the device's last-seen time is a minute old", arguments: StorageBackend.all)
    func bootstrapPagesNoteOncePerMinute(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: []), from: try await fixture.device(alice))
            let creates = try (0..<4).map { index in try alice.write("account", newRecordID(), accountFields(name: "Account \(index)"), physical: clock.now) }
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: creates), from: try await fixture.device(alice))

            let bob = try await fixture.enroll("bob")
            func noted() async throws -> DeviceAccount { try #require(try await fixture.storage.devices().first { $0.replica == bob.replica }) }
            clock.advance(byMilliseconds: 1000)
            let first = try await service.sync(SyncRequest(replica: bob.replica, clientTime: clock.now, cursor: nil, changes: [], limit: 1), from: try await fixture.device(bob))
            var next = try #require(first.snapshot?.next)
            let startedAt = clock.now
            #expect(try await noted().lastSeen == startedAt)

            // Within the minute: the page is read, nothing is written.
            clock.advance(byMilliseconds: 59_000)
            var before = Self.writes(fixture.storage)
            let second = try await service.sync(SyncRequest(replica: bob.replica, clientTime: clock.now, cursor: nil, changes: [], bootstrap: next, limit: 1), from: try await fixture.device(bob))
            #expect(second.snapshot?.records.count == 1)
            #expect(Self.writes(fixture.storage) == before)
            #expect(try await noted().lastSeen == startedAt)
            next = try #require(second.snapshot?.next)

            // A minute after the last note: noted again.
            clock.advance(byMilliseconds: 1000)
            before = Self.writes(fixture.storage)
            let third = try await service.sync(SyncRequest(replica: bob.replica, clientTime: clock.now, cursor: nil, changes: [], bootstrap: next, limit: 1), from: try await fixture.device(bob))
            #expect(third.snapshot?.records.count == 1)
            #expect(Self.writes(fixture.storage) == before + 1)
            #expect(try await noted().lastSeen == clock.now)
        }
    }

    @Test("a page is noted whatever its age when the device's row has more to record than the time")
    func notedWhenMoreThanTime() {
        let user = UserAccount(name: "bob", role: .rep, territories: ["east"], createdAt: 0)
        let seen = DeviceAccount(replica: ReplicaID(), name: "phone", user: user, cursor: nil, lastSeen: 10_000, enrolledAt: 0, isRevoked: false)
        typealias Service = SyncService<SQLiteServerStorage>
        #expect(Service.onlyTimeToNote(seen, replicatedScope: nil, resync: .unchanged, at: 20_000))
        #expect(!Service.onlyTimeToNote(seen, replicatedScope: nil, resync: .unchanged, at: 70_000))
        // A scope to record, a resync to confirm or to answer, a code to retire, a first note.
        #expect(!Service.onlyTimeToNote(seen, replicatedScope: .everything, resync: .unchanged, at: 20_000))
        #expect(!Service.onlyTimeToNote(seen, replicatedScope: nil, resync: .confirmed, at: 20_000))
        #expect(!Service.onlyTimeToNote(seen, replicatedScope: nil, resync: .answered(highWater: 3), at: 20_000))
        var enrolling = seen
        enrolling.enrollmentPending = true
        #expect(!Service.onlyTimeToNote(enrolling, replicatedScope: nil, resync: .unchanged, at: 20_000))
        var never = seen
        never.lastSeen = nil
        #expect(!Service.onlyTimeToNote(never, replicatedScope: nil, resync: .unchanged, at: 20_000))
    }

    @Test("the lock's wait and hold times are on /metrics (PostgreSQL)", .enabled(if: PostgresTestCluster.shouldRun))
    func lockFiguresOnMetrics() async throws {
        try await withFixture(backend: .postgres) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.enroll("alice")
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: nowMilliseconds(), cursor: nil, changes: []), from: try await fixture.device(alice))
            let create = try alice.write("account", newRecordID(), accountFields(name: "Acme"), physical: nowMilliseconds())
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: nowMilliseconds(), cursor: 0, changes: [create]), from: try await fixture.device(alice))
            let lock = try #require(fixture.storage.logLockStatistics)
            #expect(lock.lockedTransactions >= 1)
            #expect(lock.longestHoldSeconds > 0)
            let text = ServerMetrics().render(ConflictStatistics(), entities: [], logLock: lock)
            for name in ["transactions_total", "free_transactions_total", "wait_seconds_total", "hold_seconds_total", "longest_hold_seconds"] {
                #expect(text.contains("\nfieldsync_log_lock_\(name) "))
            }
        }
    }

    @Test(
        "two servers: pushes noted in their own transaction and pull-only rounds outside the lock, while a device pulls small pages: it misses nothing",
        .enabled(if: PostgresTestCluster.shouldRun)
    )
    func lockFreeNotesLeaveNoGap() async throws {
        try await withFixture(backend: .postgres) { (fixture) async throws in
            let url = try #require(fixture.storage.postgresURL)
            let logger = PostgresStorageTests.logger
            let servers = [
                try await PostgresServerStorage(url: url, maximumConnections: 4, logger: logger),
                try await PostgresServerStorage(url: url, maximumConnections: 4, logger: logger),
            ]
            let reader = try await PostgresServerStorage(url: url, maximumConnections: 2, logger: logger)
            // Real device rows, so that each note updates a row.
            var devices: [TestReplica] = []
            for name in ["alice", "bob", "carol", "dave"] {
                devices.append(try await fixture.enroll(name))
            }
            let rounds = 30
            let writersDone = Atomic(false)
            let pulled = Task {
                var cursor: LogSequence = 0
                var seen: [LogSequence] = []
                while true {
                    let finished = writersDone.load(ordering: .sequentiallyConsistent)
                    let page = try await reader.logPage(after: cursor, limit: 3, maxBytes: 1 << 20, scope: .everything)
                    seen += page.entries.map(\.sequence)
                    cursor = page.cursor
                    if page.entries.isEmpty {
                        if finished { return seen }
                        try await Task.sleep(for: .milliseconds(2))
                    }
                }
            }
            let accepted = try await withThrowingTaskGroup(of: [LogSequence].self) { group in
                for (index, device) in devices.enumerated() {
                    group.addTask {
                        var replica = device
                        var sequences: [LogSequence] = []
                        for round in 0..<rounds {
                            // Each round goes through either server, as behind a load balancer.
                            let storage = servers[(index + round) % servers.count]
                            let note = SyncNote(
                                replica: replica.replica, acknowledgedCursor: LogSequence(round), replicatedScope: nil, resync: .unchanged,
                                time: nowMilliseconds()
                            )
                            if round.isMultiple(of: 3) {
                                // A pull-only round: the note alone, without the log's lock.
                                _ = try await storage.applyChanges([], author: ChangeAuthor(user: "u", device: replica.replica.rawValue, receivedAt: note.time), scope: .everything, noting: note)
                                continue
                            }
                            let change = try replica.write("account", newRecordID(), accountFields(name: "d\(index) r\(round)"))
                            let author = ChangeAuthor(user: "u\(index)", device: replica.replica.rawValue, receivedAt: note.time)
                            let results = try await storage.applyChanges([change], author: author, scope: .everything, noting: note)
                            sequences += results.compactMap(\.sequence)
                        }
                        return sequences
                    }
                }
                return try await group.reduce(into: [LogSequence]()) { $0 += $1 }
            }
            writersDone.store(true, ordering: .sequentiallyConsistent)
            let seen = try await pulled.value

            let pushes = devices.count * (0..<rounds).count(where: { !$0.isMultiple(of: 3) })
            #expect(accepted.count == pushes)
            #expect(accepted.sorted() == Array(1...LogSequence(pushes)), "sequences are not dense")
            #expect(seen == accepted.sorted(), "the pulling device missed or reordered changes")
            // Every note landed: each device's cursor is its last round's.
            let cursors = Set(try await fixture.storage.devices().filter { device in devices.contains { $0.replica == device.replica } }.map(\.cursor))
            #expect(cursors == [LogSequence(rounds - 1)])
            let free = servers.map { $0.logLockStatistics?.unlockedTransactions ?? 0 }.reduce(0, +)
            #expect(free == devices.count * (0..<rounds).count(where: { $0.isMultiple(of: 3) }))
            for storage in servers + [reader] {
                try await storage.close()
            }
        }
    }
}
