import Logging
import ServiceLifecycle
import SyncCore

/// Runs log compaction: once on demand (`fieldsync-server compact`) or every
/// `compactionInterval` inside a running server, as a service of the application.
public struct LogCompactor<Storage: ServerStorage>: Service {
    public let storage: Storage
    public let configuration: ServerConfiguration
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(
        storage: Storage, configuration: ServerConfiguration, logger: Logger,
        now: @escaping @Sendable () -> Int64 = { ServerClock.millisecondsSince1970() }
    ) {
        self.storage = storage
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Compacts once: devices seen within the horizon hold the floor back, the others do not.
    @discardableResult
    public func compactOnce(reclaimSpace: Bool = false) async throws -> CompactionSummary {
        let activeSince = now() - configuration.compactionHorizonMilliseconds
        let summary = try await storage.compactLog(activeSince: activeSince, reclaimSpace: reclaimSpace)
        logger.info(
            "log compacted",
            metadata: [
                "floor": "\(summary.floor)", "previousFloor": "\(summary.previousFloor)",
                "records": "\(summary.recordsExamined)", "removed": "\(summary.entriesRemoved)",
                "kept": "\(summary.entriesKept)", "inactiveDevices": "\(summary.inactiveDevices)",
            ]
        )
        return summary
    }

    /// Compacts every `compactionInterval` until graceful shutdown; a failed run is logged and
    /// the next one tried on time (compaction is one transaction: a failure changes nothing).
    ///
    /// Returns only at shutdown: the application's service group stops when one of its services
    /// returns, so with compaction off it waits for the shutdown too.
    public func run() async throws {
        guard configuration.compactionInterval > .zero else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: configuration.compactionInterval)
                }
            } catch {
                return
            }
            do {
                try await compactOnce()
            } catch {
                logger.error("log compaction failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
