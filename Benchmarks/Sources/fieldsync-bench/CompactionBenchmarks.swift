import Foundation
import GRDB
import Logging
import SyncCore
import SyncServer

/// Log compaction: a server store after many writes to few records, before and after
/// compaction, against the live rows as plain SQLite tables.
enum CompactionBenchmarks {
    static func run(quick: Bool, directory: URL) async throws -> [BenchmarkRow] {
        let recordCount = quick ? 500 : 2_000
        let rounds = 20
        let path = directory.appendingPathComponent("compaction.sqlite").path
        let storage = try SQLiteServerStorage(path: path, logger: ServerBenchmarks.quietLogger())
        var writes = ServerBenchmarks.territory(records: recordCount)
        _ = try await storage.applyServerWrites(writes, physicalTime: 1_760_000_000_000)
        // Every round rewrites one field of every record: the log grows, the live data does not.
        for round in 1...rounds {
            for index in writes.indices {
                let field = writes[index].entity == "account" || writes[index].entity == "contact" ? "phone" : "owner"
                writes[index].fields[field] = .value(.string("r\(round)-\(index % 1000)"))
            }
            _ = try await storage.applyServerWrites(writes, physicalTime: 1_760_000_000_000 + Int64(round) * 1000)
        }
        let entriesBefore = try await storage.logCount()
        try await storage.close()
        let bytesBefore = try vacuumedSize(path)

        let reopened = try SQLiteServerStorage(path: path, logger: ServerBenchmarks.quietLogger())
        var samples = Samples()
        var summary: CompactionSummary?
        try await measureOnceAsync(into: &samples, operations: entriesBefore) {
            // No device holds the floor back: everything dead may go.
            summary = try await reopened.compactLog(activeSince: 0, reclaimSpace: true)
        }
        try await reopened.close()
        let bytesAfter = try fileSize(path)
        let tables = try tableSizes(path)
        print("server store after compaction, bytes by table and index: " + tables.map { "\($0.name) \($0.bytes / 1024) KiB" }.joined(separator: ", "))
        for table in tables { ServerBenchmarks.figures["compaction_after_bytes_\(table.name)"] = Double(table.bytes) }

        let plainPath = directory.appendingPathComponent("compaction-plain.sqlite").path
        try ServerBenchmarks.plainBulkInsert(writes, path: plainPath)
        let bytesPlain = try vacuumedSize(plainPath)

        let entriesAfter = summary.map { $0.entriesKept } ?? 0
        ServerBenchmarks.figures["compaction_log_entries_before"] = Double(entriesBefore)
        ServerBenchmarks.figures["compaction_log_entries_after"] = Double(entriesAfter)
        ServerBenchmarks.figures["compaction_live_records"] = Double(recordCount)
        ServerBenchmarks.figures["compaction_db_bytes_before"] = Double(bytesBefore)
        ServerBenchmarks.figures["compaction_db_bytes_after"] = Double(bytesAfter)
        ServerBenchmarks.figures["compaction_plain_live_rows_bytes"] = Double(bytesPlain)
        print(
            "log compaction: \(recordCount) records × \(rounds + 1) writes: log \(entriesBefore) → \(entriesAfter) entries; "
                + "database \(bytesBefore / 1024) KiB → \(bytesAfter / 1024) KiB; plain SQLite live rows \(bytesPlain / 1024) KiB "
                + "(after/plain \(String(format: "%.2f", Double(bytesAfter) / Double(max(bytesPlain, 1))))×, before/plain \(String(format: "%.2f", Double(bytesBefore) / Double(max(bytesPlain, 1))))×)"
        )
        return [
            row(
                "log compaction + VACUUM (per log entry)", baseline: "(none; bytes in figures)", samples, nil,
                target: "size after ∝ live rows", operations: entriesBefore
            )
        ]
    }

    static func measureOnceAsync(into samples: inout Samples, operations: Int, _ body: () async throws -> Void) async rethrows {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        samples.wall.append(elapsed.seconds / Double(max(operations, 1)))
    }

    /// The file's size once free pages are dropped and the WAL is folded in.
    static func vacuumedSize(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            _ = try db.checkpoint(.truncate)
        }
        try queue.close()
        return try fileSize(path)
    }

    /// Bytes per table and index (SQLite's `dbstat`), largest first; empty when SQLite was
    /// built without it.
    static func tableSizes(_ path: String) throws -> [(name: String, bytes: Int)] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return (try? queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
                .map { (name: $0["name"] as String, bytes: $0["bytes"] as Int) }
        }) ?? []
    }

    static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
