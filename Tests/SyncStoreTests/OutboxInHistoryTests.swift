import CRM
import Foundation
import GRDB
@testable import SyncStore
import SyncCore
import Testing

/// Schema v6: the outbox is the pending rows of the history, and the dot counter and clock
/// come back from the history instead of a row rewritten by every edit. Nothing typed is lost
/// and no dot is used twice, across reopening, acknowledgement, eviction, resync and compaction.
@Suite("Outbox in the history, clock recovered from it")
struct OutboxInHistoryTests {
    static func clockRow(_ path: String) throws -> (counter: Int64, physical: Int64) {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT counter, hlc_physical FROM replica_clock"))
            return (row[0], row[1])
        }
    }

    @Test("A tracked edit writes no clock row; the next dot and stamp come back from the history after reopening")
    func editLeavesTheClockRowAlone() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let clock = Stores.ManualClock()
        var last: Change
        do {
            let store = try DeviceStore(path: path, schema: Stores.schema, physicalClock: clock.read)
            let account = RecordIDs.make()
            _ = try store.apply(Sample.account(account))
            last = try store.apply(.update("account", id: account, [.set("city", .string("Hangzhou"))]))
            last = try store.apply(.update("account", id: account, [.set("city", .string("Suzhou"))]))
            #expect(last.dot.counter == 3)
        }
        #expect(try Self.clockRow(path).counter == 0, "local edits do not rewrite the clock row")
        // The physical clock stands still: the stamp must still order after the last one.
        let reopened = try DeviceStore(path: path, schema: Stores.schema, physicalClock: clock.read)
        #expect(try reopened.status().lastDot == 3)
        #expect(try reopened.pendingChanges().count == 3)
        let next = try reopened.apply(Sample.account())
        #expect(next.dot.counter == 4)
        #expect(next.hlc > last.hlc)
    }

    @Test("Counters survive acknowledgement, eviction, resync and compaction of the rows that carried them")
    func countersSurviveDeletedHistory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let clock = Stores.ManualClock()
        let store = try DeviceStore(path: path, schema: Stores.schema, physicalClock: clock.read)
        let account = RecordIDs.make()
        var changes = [try store.apply(Sample.account(account))]
        for round in 1...4 {
            clock.advance()
            changes.append(try store.apply(.update("account", id: account, [.set("phone", .string("021-5555-010\(round)"))])))
        }
        try store.acknowledge(changes.map { ChangeResult(dot: $0.dot, status: .accepted) })
        #expect(try store.outbox().isEmpty)
        #expect(try store.compactHistory().rowsRemoved == 3)

        // The account leaves the device's scope: its history (the newest rows) goes with it.
        try store.applyRemote([], cursor: 1, evictions: [RecordReference(entity: "account", id: account)])
        #expect(try store.history("account", id: account).isEmpty)
        let afterEviction = try DeviceStore(path: path, schema: Stores.schema, physicalClock: clock.read)
        let created = try afterEviction.apply(Sample.account())
        #expect(created.dot.counter == 6)
        // A row written where deleted rows were is still in the outbox.
        #expect(try afterEviction.pendingChanges() == [created])

        try afterEviction.acknowledge([ChangeResult(dot: created.dot, status: .accepted)])
        try afterEviction.resetForResync()
        let afterReset = try DeviceStore(path: path, schema: Stores.schema, physicalClock: clock.read)
        let again = try afterReset.apply(Sample.account())
        #expect(again.dot.counter == 7)
        #expect(again.hlc > created.hlc)
        #expect(try afterReset.pendingChanges() == [again])
    }

    @Test("Eviction and resync keep the pending changes of the records that leave")
    func evictionKeepsPendingChanges() throws {
        let store = try Stores.memory()
        let account = RecordIDs.make()
        let changes = try store.apply([Sample.account(account), Sample.contact(account: account)])
        try store.applyRemote([], cursor: 1, evictions: [RecordReference(entity: "account", id: account)])
        #expect(try store.records("account").isEmpty)
        #expect(try store.pendingChanges() == changes)
        #expect(try store.history("account", id: account).isEmpty, "the record's data leaves the device; its unsent changes stay in the outbox")
        // The account comes back: its history starts from what arrives, and the kept
        // changes leave the outbox when acknowledged.
        try store.applyRemote([LogEntry(sequence: 2, change: changes[0])], cursor: 2)
        #expect(try store.history("account", id: account).map(\.origin) == ["remote"])
        #expect(try store.pendingChanges() == changes)
        try store.resetForResync()
        #expect(try store.pendingChanges() == changes)
        #expect(try store.status().pendingChanges == 2)
        try store.acknowledge(changes.map { ChangeResult(dot: $0.dot, status: .duplicate) })
        #expect(try store.pendingChanges().isEmpty)
        #expect(try store.history("account", id: account).isEmpty)
        #expect(try store.apply(Sample.account()).dot.counter == 3)
    }

    @Test("A store made by schema v5 upgrades in place: unsent, refused and evicted records' changes all stay in the outbox")
    func upgradesSchemaFive() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        // The changes a v5 device made: four edits, the last of a contact evicted since.
        let source = try Stores.memory()
        let account = RecordIDs.make()
        var changes = [try source.apply(Sample.account(account))]
        changes.append(try source.apply(.update("account", id: account, [.set("city", .string("Hangzhou"))])))
        changes.append(try source.apply(.update("account", id: account, [.set("tier", .string("A"))])))
        changes.append(try source.apply(Sample.contact(account: account)))
        let state = try #require(try source.state("account", id: account))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try changes.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        do {
            let queue = try DatabaseQueue(path: path)
            try DeviceStore.migrator.migrate(queue, upTo: "v5-derived-orphans")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('replica', ?)", arguments: [source.replicaID.rawValue])
                try db.execute(
                    sql: "UPDATE replica_clock SET counter = 4, hlc_physical = ?, hlc_logical = ?, clock_offset = 0",
                    arguments: [changes[3].hlc.physical, changes[3].hlc.logical]
                )
                try db.execute(
                    sql: "INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified) VALUES ('account', ?, ?, '{}', 0, 0, ?, 0)",
                    arguments: [account, Data(state.binaryEncoded()), account]
                )
                for (index, change) in changes.prefix(3).enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO history(entity, record_id, replica, counter, hlc, origin, change, diff, applied_at)
                            VALUES ('account', ?, ?, ?, ?, 'local', ?, '{}', ?)
                            """,
                        arguments: [account, source.replicaID.rawValue, change.dot.counter, change.hlc.physical, json[index], change.hlc.physical]
                    )
                }
                // Change 1 was acknowledged; 2 is unsent; 3 was refused twice; 4's record was evicted.
                for index in 1...3 {
                    try db.execute(
                        sql: """
                            INSERT INTO outbox(counter, entity, record_id, change, created_at, attempts, reject_code, reject_message, clock_offset)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
                            """,
                        arguments: [
                            changes[index].dot.counter, changes[index].entity, changes[index].recordID, json[index], changes[index].hlc.physical,
                            index == 2 ? 2 : 0, index == 2 ? "out_of_scope" : nil, index == 2 ? "not yours" : nil,
                        ]
                    )
                }
            }
        }

        let now = changes[0].hlc.physical
        let store = try DeviceStore(path: path, schema: Stores.schema, physicalClock: { now })
        let outbox = try store.outbox()
        #expect(outbox.map(\.change) == Array(changes.dropFirst()))
        #expect(outbox.map(\.attempts) == [0, 2, 0])
        #expect(outbox[1].rejectCode == "out_of_scope" && outbox[1].rejectMessage == "not yours")
        #expect(try store.rejectedChanges().map(\.change) == [changes[2]])
        let status = try store.status()
        #expect(status.pendingChanges == 3 && status.rejectedChanges == 1 && status.lastDot == 4)
        #expect(try store.history("account", id: account).map(\.change) == Array(changes.prefix(3)))
        let tables = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(!tables.contains("outbox"))

        let next = try store.apply(.update("account", id: account, [.set("city", .string("Suzhou"))]))
        #expect(next.dot.counter == 5)
        #expect(next.hlc > changes[3].hlc, "the clock never goes back across the upgrade")
        try store.acknowledge(outbox.map { ChangeResult(dot: $0.change.dot, status: .accepted) })
        #expect(try store.pendingChanges() == [next])
    }

    /// A store whose first edit the server refused for clock skew, saying the device ran an
    /// hour ahead: the edit as made, and the pending change it was re-stamped to.
    static func refusedAnHourAhead() throws -> (store: DeviceStore, ahead: Change, restamped: Change) {
        let store = try Stores.memory(clock: Stores.ManualClock())
        let ahead = try store.apply(Sample.account())
        try store.setClockOffset(-3_600_000)
        try store.acknowledge([ChangeResult(dot: ahead.dot, status: .rejected, code: ChangeResult.clockSkewCode, message: "ahead")])
        return (store, ahead, try #require(try store.pendingChanges().first))
    }

    @Test("A refusal for clock skew re-stamps the pending row, and the clock restarts from corrected time")
    func clockSkewRestampsThePendingRow() throws {
        let (store, ahead, restamped) = try Self.refusedAnHourAhead()
        #expect(restamped.dot == ahead.dot)
        #expect(restamped.hlc.physical == ahead.hlc.physical - 3_600_000)
        let history = try store.history("account", id: ahead.recordID)
        #expect(history.map(\.change) == [restamped])
        let next = try store.apply(.update("account", id: ahead.recordID, [.set("city", .string("Hangzhou"))]))
        #expect(next.hlc.physical < ahead.hlc.physical, "the stamp follows the corrected clock, not the old one")
    }

    @Test("An acknowledgement naming another stamp for the dot: the row, the record and the clock take the server's")
    func acknowledgementAdoptsTheServersStamp() throws {
        let (store, ahead, restamped) = try Self.refusedAnHourAhead()
        #expect(restamped.hlc != ahead.hlc)
        // A copy of the refused request was accepted with the first stamp: the next push of the
        // dot is a duplicate naming it.
        try store.acknowledge([ChangeResult(dot: ahead.dot, status: .duplicate, hlc: ahead.hlc)])
        #expect(try store.pendingChanges().isEmpty)
        #expect(try store.history("account", id: ahead.recordID).map(\.change) == [ahead])
        let state = try #require(try store.state("account", id: ahead.recordID))
        #expect(state.existence.siblings.map(\.hlc) == [ahead.hlc])
        #expect(state.fields.values.compactMap(\.register).flatMap(\.siblings).allSatisfy { $0.hlc == ahead.hlc })
        let next = try store.apply(.update("account", id: ahead.recordID, [.set("city", .string("Hangzhou"))]))
        #expect(next.hlc > ahead.hlc, "a later write orders after the stamp the device holds")
    }
}
