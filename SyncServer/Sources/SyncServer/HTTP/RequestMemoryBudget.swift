import Synchronization

/// The request body bytes that all requests together may hold in memory while they are being
/// received: each reader takes bytes from it as they arrive and gives them all back when its
/// body is read or refused. A request that would go past the budget is refused with 503
/// `server_busy`, so slow or many clients cannot make the server hold more than this.
final class RequestMemoryBudget: Sendable {
    let capacity: Int
    private let held = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The bytes held now.
    var bytesHeld: Int { held.withLock { $0 } }

    /// Takes `bytes`, or throws `server_busy` and takes nothing.
    func take(_ bytes: Int) throws(ServerError) {
        let taken = held.withLock { held in
            guard bytes <= capacity - held else { return false }
            held += bytes
            return true
        }
        guard taken else {
            var error = ServerError(.serverBusy, .tooManyBodies)
            error.retryAfterSeconds = 1
            throw error
        }
    }

    /// Gives back bytes taken before.
    func give(_ bytes: Int) {
        held.withLock { $0 -= bytes }
    }
}
