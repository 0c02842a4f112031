import CRM
import Foundation
import GRDB
@testable import SyncStore
import SyncCore
import Testing

/// A fresh store in a temporary file, removed when the test ends.
final class TemporaryStore {
    let directory: URL
    let store: DeviceStore

    init(clock: @escaping @Sendable () -> Int64 = { 1_717_000_000_000 }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try DeviceStore(path: directory.appendingPathComponent("device.sqlite").path, schema: CRMSchema.schema, physicalClock: clock)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

let accountID: RecordID = "0192f0c4-1b2c-7d3e-8f40-000000000001"

func createAccount(_ store: DeviceStore, id: RecordID = accountID, name: String = "Acme") throws -> Change {
    try store.apply(.create("account", id: id, [.set("name", .string(name)), .set("territory", .string("east")), .set("city", .string("Shanghai"))]))
}

@Suite("Local edits: state, outbox and history in one transaction")
struct LocalEditStorageTests {
    @Test("An edit writes the state, queues the change and records the displayed old → new")
    func editWritesEverything() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let created = try createAccount(store)
        let edited = try store.apply(.update("account", id: accountID, [.set("city", .string("Hangzhou")), .increment("samples_given", by: 5), .add("tags", "vip")]))

        #expect(created.dot.counter == 1 && edited.dot.counter == 2)
        #expect(edited.context == VersionVector([store.replicaID: 1]))
        #expect(edited.hlc > created.hlc)
        #expect(try store.pendingChanges() == [created, edited])
        let record = try #require(try store.record("account", id: accountID))
        #expect(record.value("city") == .string("Hangzhou"))
        #expect(record.value("samples_given") == .int(5))
        #expect(record.sets["tags"] == ["vip"])
        #expect(try store.records("account", matching: [.equals("city", .string("Hangzhou")), .contains("tags", "vip")]).map(\.id) == [accountID])

        let history = try store.history("account", id: accountID)
        #expect(history.map(\.change) == [created, edited])
        #expect(history[1].origin == "local")
        #expect(history[1].diff == [
            "city": FieldDiff(old: .value(.string("Shanghai")), new: .value(.string("Hangzhou"))),
            "samples_given": FieldDiff(old: .value(.null), new: .value(.int(5))),
            "tags": FieldDiff(old: .value(.null), new: .members(["vip"])),
        ])

        try store.apply(.delete("account", id: accountID))
        let deletion = try store.history("account", id: accountID)[2]
        #expect(deletion.diff == ["_deleted": FieldDiff(old: .value(.bool(false)), new: .value(.bool(true)))])
        #expect(try store.records("account").isEmpty)
        #expect(try store.status().lastDot == 3)
    }

    @Test("A refused edit in a batch writes nothing and uses no dot")
    func refusedBatchWritesNothing() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        _ = try createAccount(store)
        let dump = try store.canonicalDump()
        #expect(throws: StoreError.self) {
            try store.apply([
                .update("account", id: accountID, [.set("city", .string("Hangzhou"))]),
                .update("account", id: accountID, [.set("tier", .string("Z"))]),
            ])
        }
        #expect(try store.canonicalDump() == dump)
        #expect(try store.pendingChanges().count == 1)
        #expect(try store.history("account", id: accountID).count == 1)
        #expect(try store.apply(.update("account", id: accountID, [.set("tier", .string("A"))])).dot.counter == 2)
    }

    @Test("A replica that applied the same changes dumps the same bytes; the dump is the states' sorted-keys JSON")
    func canonicalDumpConverges() throws {
        let writer = try TemporaryStore()
        let reader = try TemporaryStore()
        let other: RecordID = "0192f0c4-1b2c-7d3e-8f40-000000000002"
        var changes = [try createAccount(writer.store), try createAccount(writer.store, id: other, name: "Globex \"quoted\" ü")]
        changes.append(try writer.store.apply(.update("account", id: accountID, [.set("city", .string("Hangzhou")), .add("tags", "vip")])))
        changes.append(try writer.store.apply(.update("account", id: other, [.increment("samples_given", by: -3)])))
        let entries = changes.enumerated().map { LogEntry(sequence: Int64($0.offset + 1), change: $0.element) }
        try reader.store.applyRemote(entries, cursor: 4)
        try reader.store.applyRemote(entries, cursor: 4)

        let dump = try writer.store.canonicalDump()
        #expect(try reader.store.canonicalDump() == dump)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let states = try writer.store.allStates()
        let expected = "[" + (try states.map { String(decoding: try encoder.encode($0), as: UTF8.self) }).joined(separator: ",") + "]"
        #expect(String(decoding: dump, as: UTF8.self) == expected)
        #expect(states.map(\.id) == [accountID, other])
    }

    @Test("The stored change JSON is what JSONEncoder writes, and decodes to the same change")
    func changeJSONMatchesEncoder() throws {
        let a = ReplicaID(high: 0x0192_f0c4_1b2c_7d3e, low: 0x8f40_0000_0000_0001)
        let b = ReplicaID(high: 0xffff_0000_0000_4000, low: 0x8000_0000_0000_0002)
        let c = ReplicaID(high: 0x0000_0000_0000_4000, low: 0x8000_0000_0000_0003)
        let change = Change(
            entity: "account", recordID: accountID, dot: Dot(replica: a, counter: 12), hlc: HLC(physical: -5, logical: 7),
            context: VersionVector([a: 11, b: 3, c: 1]),
            operations: [
                FieldOperation(field: "name", operation: .assign(.string("Quote \" back\\slash / tab\t nl\n ctl\u{01} ü 漢字 😇"))),
                FieldOperation(field: "city", operation: .assign(.null)),
                FieldOperation(field: "vip", operation: .assign(.bool(true))),
                FieldOperation(field: "n", operation: .assign(.int(Int64.min))),
                FieldOperation(field: "points", operation: .counter(increments: Int64.max, decrements: 0)),
                FieldOperation(field: "tags", operation: .add("hot")),
                FieldOperation(field: "tags", operation: .remove("cold")),
            ]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = JSONText()
        text.change(change)
        #expect(text.text == String(decoding: try encoder.encode(change), as: UTF8.self))
        #expect(try JSONDecoder().decode(Change.self, from: Data(text.bytes)) == change)

        var deletion = JSONText()
        deletion.change(Change(entity: "account", recordID: accountID, dot: Dot(replica: a, counter: 1), hlc: .zero, context: VersionVector(), operations: [.delete]))
        #expect(deletion.text == #"{"ctx":{},"dot":{"c":1,"r":"0192f0c4-1b2c-7d3e-8f40-000000000001"},"entity":"account","hlc":{"ms":0,"n":0},"id":"0192f0c4-1b2c-7d3e-8f40-000000000001","ops":[{"op":"delete"}]}"#)
    }

    @Test("A store made by the first schema (JSON states, clock in settings) opens, keeps its data and counts on")
    func migratesFirstSchema() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("device.sqlite").path
        let replica = ReplicaID(high: 0x0192_f0c4_1b2c_7d3e, low: 0x8f40_0000_0000_00aa)
        let change = Change(
            entity: "account", recordID: accountID, dot: Dot(replica: replica, counter: 5), hlc: HLC(physical: 1_717_000_000_000, logical: 3),
            context: VersionVector(), operations: [
                FieldOperation(field: "name", operation: .assign(.string("Acme"))),
                FieldOperation(field: "territory", operation: .assign(.string("east"))),
            ]
        )
        let state = try RecordState(entity: "account", id: accountID).merging(change).state
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let queue = try DatabaseQueue(path: path)
            try DeviceStore.migrator.migrate(queue, upTo: "v1")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('replica', ?), ('counter', '5'), ('hlc', ?), ('clock_offset', '250')", arguments: [
                    replica.rawValue, String(decoding: try encoder.encode(HybridClock(last: change.hlc)), as: UTF8.self),
                ])
                try db.execute(
                    sql: "INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified) VALUES ('account', ?, ?, '{}', 0, 0, ?, 0)",
                    arguments: [accountID, String(decoding: try encoder.encode(state), as: UTF8.self), accountID]
                )
            }
        }
        let store = try DeviceStore(path: path, schema: CRMSchema.schema, physicalClock: { 1_000 })
        #expect(store.replicaID == replica)
        #expect(try store.state("account", id: accountID) == state)
        #expect(try store.clockOffset() == 250)
        #expect(try store.status().lastDot == 5)
        let next = try store.apply(.update("account", id: accountID, [.set("city", .string("Hangzhou"))]))
        #expect(next.dot == Dot(replica: replica, counter: 6))
        #expect(next.hlc > change.hlc, "the clock read from the old settings never goes back")
        #expect(try store.setting("counter") == nil)
    }
}
