import Logging
import PostgresNIO
import ServiceLifecycle
import SyncCore

/// Carries live news between the servers of one PostgreSQL database with LISTEN/NOTIFY: what a
/// push on this server commits is sent as `NOTIFY fieldsync_news, '<position>'`, and what
/// another server sends wakes this server's watchers.
///
/// It runs its own small `PostgresClient` (two connections: one listening, one notifying),
/// apart from the store's, as a service of the application. A notification is sent after the
/// push's commit, so a server that hears it can read the entries. Notifications lost while the
/// listening connection is down (it reconnects with backoff) cost watching devices one poll
/// interval; the pull is the only source of truth.
struct PostgresNewsRelay: Service {
    static let channel = "fieldsync_news"

    let news: LiveNews
    let configuration: PostgresClient.Configuration
    let logger: Logger

    /// The relay for a configuration on PostgreSQL; nil on SQLite (one process, nothing to relay).
    static func forStore(of configuration: ServerConfiguration, news: LiveNews, logger: Logger) throws -> PostgresNewsRelay? {
        guard let url = configuration.postgresURL, configuration.maxWatchers > 0 else { return nil }
        var client = try PostgresURL.configuration(from: url)
        client.options.maximumConnections = 2
        return PostgresNewsRelay(news: news, configuration: client, logger: logger)
    }

    func run() async throws {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        await withDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            group.addTask { await listen(client) }
            group.addTask { await notify(client) }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// Listens until cancelled, reconnecting after a failure with a growing pause (at most 5 s).
    private func listen(_ client: PostgresClient) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        failures = 0
                        for try await notification in notifications {
                            if let position = LogSequence(notification.payload) { news.receive(position) }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.warning("listening for other servers' news failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .milliseconds(min(5000, 100 << min(failures, 6))))
        }
    }

    /// Sends this server's news, the newest position only when several wait.
    private func notify(_ client: PostgresClient) async {
        for await position in news.outgoing {
            do {
                _ = try await client.query("SELECT pg_notify(\(Self.channel), \(String(position)))", logger: logger)
            } catch {
                // The other servers' watchers hear of it at their next poll.
                logger.warning("telling other servers of news failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}
