/// Lets a user's devices enroll one at a time. The server keeps one enrollment code per user
/// and issuing a new one replaces the last, so two devices of the same user that each ask for
/// a code and then enroll would race and one would hold a dead code. The coordinator puts all
/// of a user's devices in the same worker process, so a gate per process is enough.
actor EnrollmentGate {
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` while no other device of `user` is enrolling.
    func serialized<T: Sendable>(_ user: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(user)
        do {
            let result = try await body()
            release(user)
            return result
        } catch {
            release(user)
            throw error
        }
    }

    private func acquire(_ user: String) async {
        if busy.insert(user).inserted { return }
        await withCheckedContinuation { waiting[user, default: []].append($0) }
    }

    /// Hands the gate to the next waiting device of `user`, or opens it.
    private func release(_ user: String) {
        if var queue = waiting[user], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[user] = queue
            next.resume()
        } else {
            busy.remove(user)
        }
    }
}
