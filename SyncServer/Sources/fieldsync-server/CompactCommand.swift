import ArgumentParser
import Foundation
import CRM
import Logging
import SyncServer

/// `--compaction-horizon`, shared by `serve` and `compact`.
struct CompactionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(ServerCLIHelp.compactionHorizon()))
    var compactionHorizon: String?

    func apply(to configuration: inout ServerConfiguration) throws {
        if let compactionHorizon {
            configuration.compactionHorizon = try ServerConfiguration.parseDuration(compactionHorizon, source: "--compaction-horizon")
        }
    }
}

/// `fieldsync-server compact`: one log compaction now, with the freed space given back to the
/// file system; prints what it did as one JSON line.
struct Compact: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: ServerCLIHelp.compact()
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var compaction: CompactionOptions
    @Flag(help: ArgumentHelp(ServerCLIHelp.noVacuum())) var noVacuum = false

    func run() async throws {
        var configuration = try store.configuration()
        try compaction.apply(to: &configuration)
        let storage = try await store.openStorage()
        let reclaimSpace = !noVacuum
        let summary = try await CommandFailure.reporting {
            try await Self.compactOnce(storage, configuration: configuration, reclaimSpace: reclaimSpace)
        }
        try await storage.close()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(summary), as: UTF8.self))
    }
}

extension Compact {
    /// One run of a `LogCompactor`, which is generic over the storage: called with the opened
    /// store (SQLite or PostgreSQL), Swift opens the existential into that type.
    static func compactOnce<Storage: ServerStorage>(
        _ storage: Storage, configuration: ServerConfiguration, reclaimSpace: Bool
    ) async throws -> CompactionSummary {
        let compactor = LogCompactor(storage: storage, configuration: configuration, logger: Logger(label: "fieldsync-server"))
        return try await compactor.compactOnce(reclaimSpace: reclaimSpace)
    }
}
