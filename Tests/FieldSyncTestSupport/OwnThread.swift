import Foundation

/// Runs blocking work (a child process, `waitUntilExit`, initdb) on a thread of its own and
/// resumes when it is done. Test processes and benchmark drivers must not block one of the few
/// threads of Swift's cooperative pool (two on a 2-core machine): the in-process servers of
/// tests running alongside need them to answer at all.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
