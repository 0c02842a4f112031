import Foundation
import Logging
import NIOCore
import PostgresNIO

/// How the servers sharing one PostgreSQL database tell each other of their commits, so that a
/// device watching one server hears of a change pushed to another (`LiveNews`).
///
/// A commit that may have appended to the log is announced with `NOTIFY fieldsync_log,
/// '<origin>'`, sent from the store's pool after the commit. Announcements fold into one while
/// one is on its way, so a busy server sends at most one at a time, never one per push. Each
/// server listens on one connection of its own, outside the pool (a `LISTEN` holds its
/// connection for as long as it listens, and a pool lease held that way would keep the pool
/// from closing), and rings its bell for every announcement but its own, and once after each
/// (re)connection, for what it may have missed while it was not listening.
final class PostgresNewsRelay: Sendable {
    static let channel = "fieldsync_log"

    /// This process's name in its announcements (the servers share one server replica).
    let origin: String
    private let announcements: AsyncStream<Void>.Continuation
    private let announcer: Task<Void, Never>
    private let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        let origin = UUID().uuidString
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.origin = origin
        self.announcements = continuation
        self.logger = logger
        self.announcer = Task {
            for await _ in stream {
                do {
                    try await client.withConnection { connection in
                        _ = try await connection.query("SELECT pg_notify(\(Self.channel), \(origin))", logger: logger)
                    }
                } catch {
                    // A lost announcement costs the other servers' watchers one poll interval.
                    logger.debug("news announcement failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        }
    }

    /// Announces a commit to the other servers (folded with any announcement not yet sent).
    func announce() {
        announcements.yield()
    }

    /// Stops announcing. An announcement still waiting for a connection is given up (the
    /// pool is about to close: waiting for it would tie the store's closing to the pool's
    /// health); one already sent is waited for.
    func stop() async {
        announcements.finish()
        announcer.cancel()
        await announcer.value
    }

    /// Rings `bell` for the other servers' announcements until cancelled.
    func listen(_ configuration: PostgresConnection.Configuration, ringing bell: CommitBell) async {
        var delay = Self.firstRetryDelay
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                let listened: Result<Void, any Error>
                do {
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: Self.channel) { notifications in
                            delay = Self.firstRetryDelay
                            bell.ring()
                            for try await notification in notifications where notification.payload != origin {
                                bell.ring()
                            }
                        }
                    } onCancel: {
                        // Ends the notifications at once; the close below waits for it.
                        connection.close().whenComplete { _ in }
                    }
                    listened = .success(())
                } catch {
                    listened = .failure(error)
                }
                try? await connection.close()
                try listened.get()
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for other servers' news failed; retrying", metadata: [
                    "error": "\(String(reflecting: error))", "retry": "\(delay)",
                ])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(10))
        }
    }

    static let firstRetryDelay = Duration.milliseconds(250)
}
