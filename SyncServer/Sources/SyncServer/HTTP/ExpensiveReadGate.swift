import Synchronization

/// Bounds how many expensive reads (reports, conflict lists, record histories) run at once.
///
/// A read that finds every turn taken waits in a first-come queue; one that finds the queue full
/// too is refused at once with 503 `server_busy` and `Retry-After`. Sync rounds never pass
/// through the gate, so however many reports managers ask for, the rest of the server's threads
/// and database readers stay free for syncs.
final class ExpensiveReadGate: Sendable {
    let concurrency: Int
    let queueLimit: Int

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init(concurrency: Int, queueLimit: Int) {
        self.concurrency = max(1, concurrency)
        self.queueLimit = max(0, queueLimit)
    }

    /// Reads running now and reads waiting for a turn.
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiters.count) } }

    /// Runs `body` once a turn is free.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        try await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let concurrency = concurrency
        let queueLimit = queueLimit
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let admitted: Bool? = state.withLock { state in
                    if state.running < concurrency {
                        state.running += 1
                        return true
                    }
                    guard state.waiters.count < queueLimit else { return false }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                switch admitted {
                case true?:
                    continuation.resume()
                case false?:
                    var error = ServerError(.serverBusy, .tooManyExpensiveReads)
                    error.retryAfterSeconds = 1
                    continuation.resume(throwing: error)
                case nil:
                    break
                }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Hands the turn to the first waiter, or frees it.
    private func leave() {
        let next: Waiter? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }
}
