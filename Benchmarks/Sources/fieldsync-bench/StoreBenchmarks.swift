import CRM
import FieldWork
import Foundation
import GRDB
import SyncCore
import SyncServer
import SyncStore

/// Tracked local edits through SyncStore against plain SQLite updates of the same values.
enum StoreBenchmarks {
    /// A plain SQLite table shaped like an account: the floor any tracked edit is measured against.
    /// Its updates use a prepared (cached) statement, as the store's own writes do.
    static func plainDatabase(at path: String, ids: [String]) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE account (id TEXT PRIMARY KEY, name TEXT, industry TEXT, tier TEXT, lifecycle TEXT,
                    territory TEXT, owner TEXT, phone TEXT, email TEXT, city TEXT)
                """)
            for (index, id) in ids.enumerated() {
                try db.execute(
                    sql: "INSERT INTO account VALUES (?, ?, 'retail', 'B', 'repeat', 'east', 'alice', '021-5555-0000', 'x@example.com', 'Shanghai')",
                    arguments: [id, "Account \(index)"]
                )
            }
        }
        return pool
    }

    static func trackedStore(at path: String, ids: [String], schema: Schema, rule: EditRule? = nil) throws -> DeviceStore {
        let store = try DeviceStore(path: path, schema: schema, rule: rule)
        let edits = ids.enumerated().map { index, id in
            LocalEdit.create("account", id: id, [
                .set("name", .string("Account \(index)")), .set("industry", .string("retail")), .set("tier", .string("B")),
                .set("lifecycle", .string("repeat")), .set("territory", .string("east")), .set("owner", .string("alice")),
                .set("phone", .string("021-5555-0000")), .set("email", .string("x@example.com")), .set("city", .string("Shanghai")),
            ])
        }
        for chunk in stride(from: 0, to: edits.count, by: 1000) {
            try store.apply(Array(edits[chunk..<min(chunk + 1000, edits.count)]))
        }
        return store
    }

    static func run(quick: Bool, schema: Schema, directory: URL, snapshot: Bool = true) throws -> [BenchmarkRow] {
        let recordCount = quick ? 200 : 1000
        let singleEdits = quick ? 300 : 2000
        let batchEdits = quick ? 500 : 5000
        let runs = quick ? 3 : 5
        let ids = (0..<recordCount).map { _ in RecordIDs.make() }
        let plain = try plainDatabase(at: directory.appendingPathComponent("plain.sqlite").path, ids: ids)
        let store = try trackedStore(at: directory.appendingPathComponent("store.sqlite").path, ids: ids, schema: schema)
        // The same edits through the CRM's edit rule, as the CLI and FieldWork make them (the
        // rule derives values and reads the edit's time).
        let ruled = try trackedStore(at: directory.appendingPathComponent("store-rule.sqlite").path, ids: ids, schema: schema, rule: CRMRules.rule)
        var rows: [BenchmarkRow] = []

        // Baseline and tracked runs alternate, so a burst of load from elsewhere on the machine
        // falls on both.
        var plainSingle = Samples()
        var trackedSingle = Samples()
        var ruledSingle = Samples()
        // One edit a transaction through `store`, as both tracked rows measure it.
        func editSingly(_ store: DeviceStore, run: Int) throws {
            for index in 0..<singleEdits {
                try store.apply(.update("account", id: ids[index % ids.count], [.set("city", .string("City \(run)-\(index)"))]))
            }
        }
        for run in 0..<runs {
            try measureOnce(into: &plainSingle, operations: singleEdits) {
                for index in 0..<singleEdits {
                    try plain.write { db in
                        try db.cachedStatement(sql: "UPDATE account SET city = ? WHERE id = ?")
                            .execute(arguments: ["City \(run)-\(index)", ids[index % ids.count]])
                    }
                }
            }
            try measureOnce(into: &trackedSingle, operations: singleEdits) { try editSingly(store, run: run) }
            try measureOnce(into: &ruledSingle, operations: singleEdits) { try editSingly(ruled, run: run) }
        }
        rows.append(row("tracked local edit, one transaction each", baseline: "plain SQLite UPDATE, one transaction each",
                        trackedSingle, plainSingle, target: "≤ 1.5× baseline", operations: singleEdits))
        rows.append(row("tracked local edit through the CRM's edit rule, one transaction each", baseline: "plain SQLite UPDATE, one transaction each",
                        ruledSingle, plainSingle, target: "(no target)", operations: singleEdits))

        var plainBatch = Samples()
        var trackedBatch = Samples()
        for run in 0..<runs {
            try measureOnce(into: &plainBatch, operations: batchEdits) {
                try plain.write { db in
                    let update = try db.cachedStatement(sql: "UPDATE account SET city = ? WHERE id = ?")
                    for index in 0..<batchEdits {
                        try update.execute(arguments: ["Batch \(run)-\(index)", ids[index % ids.count]])
                    }
                }
            }
            let edits = (0..<batchEdits).map { index in
                LocalEdit.update("account", id: ids[index % ids.count], [.set("city", .string("Batch \(run)-\(index)"))])
            }
            try measureOnce(into: &trackedBatch, operations: batchEdits) {
                try store.apply(edits)
            }
        }
        rows.append(row("tracked local edits, batched in one transaction", baseline: "plain SQLite UPDATEs in one transaction",
                        trackedBatch, plainBatch, target: "(no target)", operations: batchEdits))
        if snapshot { rows.append(try snapshotRow(quick: quick, schema: schema, directory: directory)) }
        return rows
    }

    /// The device's side of a bootstrap, without the server and the network: the snapshot
    /// pages of the bootstrap row's territory as JSON, read and applied one by one (one
    /// transaction each) by a fresh store, against a plain bulk insert of the same rows in one
    /// transaction. FIELDSYNC_BENCH_RECORDS sets the size, as for the bootstrap row.
    static func snapshotRow(quick: Bool, schema: Schema, directory: URL) throws -> BenchmarkRow {
        let recordCount = ProcessInfo.processInfo.environment["FIELDSYNC_BENCH_RECORDS"].flatMap(Int.init) ?? (quick ? 10_000 : 100_000)
        let runs = quick ? 2 : 3
        let pageSize = 1000
        let writes = ServerBenchmarks.territory(records: recordCount)
        let server = ReplicaID()
        let states = try writes.enumerated().map { index, write -> RecordState in
            let dot = Dot(replica: server, counter: UInt64(index + 1))
            let hlc = HLC(physical: 1_795_000_000_000 + Int64(index / 1000), logical: UInt32(index % 1000))
            guard let change = try write.change(from: nil, schema: schema, dot: dot, hlc: hlc) else {
                throw BenchmarkFailure(description: "no change for \(write.entity) \(write.id)")
            }
            return try RecordState(entity: write.entity, id: write.id).merging(change).state
        }
        let pages = stride(from: 0, to: states.count, by: pageSize).map { start in
            let end = min(start + pageSize, states.count)
            let next = end < states.count ? BootstrapCursor(highWater: 1, afterEntity: states[end - 1].entity, afterID: states[end - 1].id) : nil
            var text = JSONText()
            text.snapshotPage(EncodedSnapshotPage(SnapshotPage(records: Array(states[start..<end]), next: next, highWater: 1)))
            return text.bytes
        }
        var device = Samples()
        var plain = Samples()
        for run in 0..<runs {
            let store = try DeviceStore(path: directory.appendingPathComponent("snapshot-\(run).sqlite").path, schema: schema)
            try measureOnce(into: &device, operations: recordCount) {
                for page in pages {
                    guard let decoded = try JSONReader.decodeIfSupported(SnapshotPage.self, from: page) else {
                        throw BenchmarkFailure(description: "JSONReader does not read snapshot pages")
                    }
                    try store.applySnapshot(decoded)
                }
            }
            let path = directory.appendingPathComponent("snapshot-plain-\(run).sqlite").path
            try measureOnce(into: &plain, operations: recordCount) { try ServerBenchmarks.plainBulkInsert(writes, path: path) }
        }
        return row("device applies \(recordCount) snapshot records, \(pageSize) a page (per record)",
                   baseline: "plain SQLite bulk insert of the same rows, one transaction", device, plain,
                   target: "≤ 3× baseline", operations: recordCount)
    }
}

func row(_ name: String, baseline: String, _ measured: Samples, _ base: Samples?, target: String, operations: Int) -> BenchmarkRow {
    let measuredMedian = median(measured.wall)
    let baseMedian = base.map { median($0.wall) }
    let cpuMedian = measured.cpu.isEmpty ? nil : median(measured.cpu)
    let baseCPUMedian = base.flatMap { $0.cpu.isEmpty ? nil : median($0.cpu) }
    return BenchmarkRow(
        name: name, baseline: baseline, medianSeconds: measuredMedian, baselineMedianSeconds: baseMedian,
        ratio: baseMedian.map { measuredMedian / $0 },
        cpuMedianSeconds: cpuMedian, baselineCPUMedianSeconds: baseCPUMedian, cpuRatio: cpuMedian.flatMap { cpu in baseCPUMedian.map { cpu / $0 } },
        operationsPerSecond: measuredMedian > 0 ? 1 / measuredMedian : 0,
        target: target, runs: measured.wall.count, operationsPerRun: operations
    )
}

/// A row of wall-clock seconds per operation only.
func row(_ name: String, baseline: String, _ measured: [Double], _ base: [Double]?, target: String, operations: Int) -> BenchmarkRow {
    row(name, baseline: baseline, Samples(wall: measured), base.map { Samples(wall: $0) }, target: target, operations: operations)
}

/// A benchmark's own setup gone wrong (a programming error, not a user's input).
private struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}
