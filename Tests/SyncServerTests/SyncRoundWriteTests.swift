import FieldSyncTestSupport
import Foundation
import SyncCore
import Testing

@testable import SyncServer

/// How many write transactions a sync round costs, and which of them wait for the change log's
/// lock on PostgreSQL.
@Suite("Writes per sync round")
struct SyncRoundWriteTests {
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
}
