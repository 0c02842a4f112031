import Synchronization

/// Runs an async transaction body of the shared storage code to its end on the calling thread,
/// for GRDB, whose database handle is valid only inside its synchronous closure.
///
/// The shared code is async so that PostgreSQL's round trips suspend instead of blocking a
/// thread. Every method of `GRDBDatabase` is synchronous, so a body given one never suspends,
/// and `Task.immediate` runs it start to end right here, inside GRDB's closure and on GRDB's
/// thread: no hop to another executor, no cooperative thread blocked. A body that did suspend
/// (awaiting something other than its database) would carry on after GRDB's closure returned,
/// with a handle no longer valid: that is a programming error, and it traps.
enum SynchronousBody {
    static func run<T: Sendable>(_ db: GRDBDatabase, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let handle = Handle(db: db)
        Task.immediate {
            let result: Result<T, any Error>
            do {
                result = .success(try await body(handle.db))
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
        }
        guard let result = outcome.withLock({ $0 }) else {
            preconditionFailure("a SQLite transaction body suspended: it may await nothing but its database")
        }
        return try result.get()
    }

    /// GRDB's `Database` crosses into the task, which runs to its end before `run` returns, on
    /// this thread, inside GRDB's closure (checked above): it is never used concurrently or
    /// outside the access that lent it.
    private struct Handle: @unchecked Sendable {
        let db: GRDBDatabase
    }
}
