import Foundation
import GRDB
@testable import SyncStore
import SyncCore
import Testing

/// Schema v7: the history has no index. A record's row names its newest history row and each
/// history row the record's row before it, so a tracked edit writes the record's page and the
/// history's last page, and every per-record read, compaction and eviction still finds
/// exactly the record's rows.
@Suite("History chained from the record row")
struct HistoryChainTests {
    static func historyIndexes(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history'")
        }
    }

    @Test("The history carries no index; interleaved records keep their own rows through compaction, edits and eviction")
    func interleavedRecordsKeepTheirRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let clock = Stores.ManualClock()
        let store = try DeviceStore(path: path, schema: Stores.schema, physicalClock: clock.read)
        #expect(try Self.historyIndexes(path).isEmpty, "an edit writes no history index entry")

        let first = RecordIDs.make()
        let second = RecordIDs.make()
        var firstChanges = [try store.apply(Sample.account(first))]
        var secondChanges = [try store.apply(Sample.account(second, name: "杭州云帆科技有限公司"))]
        for round in 1...6 {
            clock.advance()
            firstChanges.append(try store.apply(.update("account", id: first, [.set("phone", .string("021-5555-01\(round)"))])))
            secondChanges.append(try store.apply(.update("account", id: second, [.set("phone", .string("0571-5555-01\(round)"))])))
        }
        #expect(try store.history("account", id: first).map(\.change) == firstChanges)
        #expect(try store.history("account", id: second).map(\.change) == secondChanges)

        // Compaction drops the overwritten phone writes of both records from the middle of
        // their chains; the rows left still chain, and new edits append to them.
        try store.acknowledge((firstChanges + secondChanges).map { ChangeResult(dot: $0.dot, status: .accepted) })
        #expect(try store.compactHistory().rowsRemoved == 10)
        #expect(try store.history("account", id: first).map(\.change) == [firstChanges[0], firstChanges[6]])
        #expect(try store.history("account", id: second).map(\.change) == [secondChanges[0], secondChanges[6]])
        clock.advance()
        firstChanges.append(try store.apply(.update("account", id: first, [.set("city", .string("Suzhou"))])))
        #expect(try store.history("account", id: first).map(\.change) == [firstChanges[0], firstChanges[6], firstChanges[7]])
        #expect(try store.historyChanges(of: ["account"]) == [firstChanges[0], secondChanges[0], firstChanges[6], secondChanges[6], firstChanges[7]])

        // Evicting the first account takes its rows and leaves the second's; its pending edit
        // stays in the outbox.
        try store.applyRemote([], cursor: 1, evictions: [RecordReference(entity: "account", id: first)])
        #expect(try store.history("account", id: first).isEmpty)
        #expect(try store.history("account", id: second).map(\.change) == [secondChanges[0], secondChanges[6]])
        #expect(try store.pendingChanges() == [firstChanges[7]])
        #expect(try store.historyChanges(of: ["account"]) == [secondChanges[0], secondChanges[6]])
    }

    @Test("A store made by schema v6 upgrades in place: each record's history, the outbox and the clock survive")
    func upgradesSchemaSix() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        // What a v6 device wrote: two accounts edited in turn, the first change acknowledged,
        // and a pending change of a third record evicted since (an outbox entry only).
        let source = try Stores.memory()
        let first = RecordIDs.make()
        let second = RecordIDs.make()
        let evicted = RecordIDs.make()
        var changes = [try source.apply(Sample.account(first))]
        changes.append(try source.apply(Sample.account(second, name: "杭州云帆科技有限公司")))
        changes.append(try source.apply(.update("account", id: first, [.set("city", .string("Hangzhou"))])))
        changes.append(try source.apply(.update("account", id: second, [.set("tier", .string("A"))])))
        changes.append(try source.apply(Sample.account(evicted, name: "苏州恒信贸易有限公司")))
        let states = try [first, second].map { try #require(try source.state("account", id: $0)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try changes.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        do {
            let queue = try DatabaseQueue(path: path)
            try DeviceStore.migrator.migrate(queue, upTo: "v6-outbox-in-history")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('replica', ?)", arguments: [source.replicaID.rawValue])
                for (id, state) in zip([first, second], states) {
                    try db.execute(
                        sql: "INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified) VALUES ('account', ?, ?, '{}', 0, 0, ?, 0)",
                        arguments: [id, Data(state.binaryEncoded()), id]
                    )
                }
                for (index, change) in changes.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO history(entity, record_id, replica, counter, hlc, hlc_logical, origin, change, diff, applied_at,
                                pending, stamped_at, clock_offset, dropped)
                            VALUES ('account', ?, ?, ?, ?, ?, 'local', ?, '{}', ?, ?, ?, 0, ?)
                            """,
                        arguments: [
                            change.recordID, source.replicaID.rawValue, change.dot.counter, change.hlc.physical, change.hlc.logical,
                            json[index], change.hlc.physical, index == 0 ? nil : 1, change.hlc.physical, index == 4 ? 1 : nil,
                        ]
                    )
                }
            }
        }

        let now = changes[0].hlc.physical
        let store = try DeviceStore(path: path, schema: Stores.schema, physicalClock: { now })
        #expect(try Self.historyIndexes(path).isEmpty)
        #expect(try store.history("account", id: first).map(\.change) == [changes[0], changes[2]])
        #expect(try store.history("account", id: second).map(\.change) == [changes[1], changes[3]])
        #expect(try store.history("account", id: evicted).isEmpty)
        #expect(try store.pendingChanges() == Array(changes.dropFirst()))

        let next = try store.apply(.update("account", id: second, [.set("city", .string("Suzhou"))]))
        #expect(next.dot.counter == 6)
        #expect(next.hlc > changes[4].hlc, "the clock never goes back across the upgrade")
        #expect(try store.history("account", id: second).map(\.change) == [changes[1], changes[3], next])
        #expect(try store.history("account", id: first).map(\.change) == [changes[0], changes[2]])
        try store.acknowledge((changes.dropFirst() + [next]).map { ChangeResult(dot: $0.dot, status: .accepted) })
        #expect(try store.pendingChanges().isEmpty)
        #expect(try store.history("account", id: second).map(\.change) == [changes[1], changes[3], next])
    }
}
