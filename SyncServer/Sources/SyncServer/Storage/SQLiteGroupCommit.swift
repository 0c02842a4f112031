import GRDB
import Synchronization

/// Group commit for the SQLite store's single writer.
///
/// Every acknowledged write is synced to disk (`synchronous=FULL`), and an fsync costs far more
/// than the statements of a push. Writes that arrive while the writer is busy wait together;
/// when it is free, all of them run in one transaction, each in a savepoint of its own, and one
/// commit (one fsync) makes them durable together. Each write still commits or fails alone: a
/// body that throws rolls back its savepoint, and the others go on. A caller is answered only
/// after the commit that holds its write, so nothing is acknowledged before it is on disk. When
/// the writer is idle a write commits at once: a lone device waits for no one.
final class SQLiteGroupCommit: Sendable {
    private struct Pending {
        let body: @Sendable (Database) throws -> Void
        let finish: @Sendable (Result<Void, any Error>) -> Void
    }

    private struct State {
        var pending: [Pending] = []
        var running = false
        var transactions = 0
        var writes = 0
    }

    private let pool: DatabasePool
    private let state = Mutex(State())

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Transactions committed, the writes they carried, and the writes waiting now.
    var counts: (transactions: Int, writes: Int, waiting: Int) {
        state.withLock { ($0.transactions, $0.writes, $0.pending.count) }
    }

    /// Runs `body` in the next group transaction and returns its result once that transaction
    /// has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let result = Mutex<T?>(nil)
            let pending = Pending(
                body: { db in
                    let value = try body(db)
                    result.withLock { $0 = value }
                },
                finish: { outcome in
                    continuation.resume(with: outcome.flatMap {
                        guard let value = result.withLock({ $0 }) else {
                            return .failure(ServerError(.internalError, .groupedWriteLost))
                        }
                        return .success(value)
                    })
                }
            )
            let starts = state.withLock { state -> Bool in
                state.pending.append(pending)
                guard !state.running else { return false }
                state.running = true
                return true
            }
            if starts { drain() }
        }
    }

    /// Runs the waiting writes as one group on GRDB's writer, then the writes that arrived
    /// meanwhile as the next group, until none waits. Each group is a write of its own on
    /// GRDB's queue, so the store's other writes (a VACUUM, closing) are not held off by a
    /// steady stream of pushes.
    private func drain() {
        pool.asyncWriteWithoutTransaction { [self] db in
            let group = state.withLock { state -> [Pending] in
                defer { state.pending = [] }
                return state.pending
            }
            run(group, db)
            let more = state.withLock { state -> Bool in
                if state.pending.isEmpty { state.running = false }
                return state.running
            }
            if more { drain() }
        }
    }

    private func run(_ group: [Pending], _ db: Database) {
        var outcomes: [Result<Void, any Error>] = []
        outcomes.reserveCapacity(group.count)
        do {
            try db.inTransaction(.immediate) {
                for pending in group {
                    do {
                        try db.inSavepoint {
                            try pending.body(db)
                            return .commit
                        }
                        outcomes.append(.success(()))
                    } catch {
                        outcomes.append(.failure(error))
                    }
                }
                return .commit
            }
        } catch {
            // The commit itself failed (or SQLite gave up the transaction): nothing is durable.
            for pending in group { pending.finish(.failure(error)) }
            return
        }
        state.withLock { state in
            state.transactions += 1
            state.writes += group.count
        }
        for (pending, outcome) in zip(group, outcomes) { pending.finish(outcome) }
    }
}
