import Foundation
import GRDB
@testable import SyncStore
import SyncCore
import Testing

/// Schema v8: records live in a rowid table with a unique index on `(entity, id)`, so a row of
/// a kilobyte or more stays in its leaf page (a `WITHOUT ROWID` table spills every row above
/// about a quarter of a page to an overflow page, which each edit of it then writes too).
@Suite("Records in a rowid table")
struct RecordsRowidTests {
    /// Pages of the `records` table by kind (SQLite's `dbstat`).
    static func recordPages(_ db: Database) throws -> [String: Int] {
        var pages: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT pagetype, COUNT(*) FROM dbstat WHERE name = 'records' GROUP BY pagetype") {
            pages[row[0]] = row[1]
        }
        return pages
    }

    static func recordsTableSQL(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'records'") ?? ""
    }

    /// An account whose row is about 1.1-1.6 KB: a long address and notes.
    static func largeAccount(_ index: Int) -> LocalEdit {
        .create("account", id: RecordIDs.make(), [
            .set("name", .string("上海华科电子有限公司第\(index)分公司")), .set("territory", .string("east")),
            .set("address", .string(String(repeating: "浦东新区张江高科技园区碧波路", count: 6 + index % 4))),
            .set("notes", .string(String(repeating: "客户关注交付周期与售后响应，", count: 10 + index % 5))),
            .set("city", .string("Shanghai")), .set("industry", .string("electronics")),
        ])
    }

    @Test("Rows of a kilobyte and more stay in their leaf pages: no overflow page, and an edit rewrites one page of records")
    func largeRowsStayInTheirLeaves() throws {
        let directory = try TemporaryDirectory()
        let store = try DeviceStore(path: directory.path("device.sqlite"), schema: Stores.schema)
        let edits = (0..<200).map(Self.largeAccount)
        try store.apply(edits)
        let (sizes, pages, tableSQL) = try store.database.read { db in
            (
                try Int.fetchAll(db, sql: "SELECT length(entity) + length(id) + length(state) + length(CAST(display AS BLOB)) FROM records"),
                try Self.recordPages(db),
                try Self.recordsTableSQL(db)
            )
        }
        // The rows are large enough that a WITHOUT ROWID table (at most 1,002 bytes of a row
        // in a 4 KB leaf) would have spilled them.
        #expect(sizes.count == 200)
        #expect(sizes.min() ?? 0 > 1_002)
        #expect(!tableSQL.uppercased().contains("WITHOUT ROWID"))
        #expect(pages["overflow"] == nil, "pages of records: \(pages)")
        #expect((pages["leaf"] ?? 0) >= 50)

        // Every read by key, by account and over the table still finds each record once.
        for edit in edits.prefix(5) {
            #expect(try store.state("account", id: edit.recordID)?.value(of: "city") == .string("Shanghai"))
        }
        let edited = try store.apply(.update("account", id: edits[7].recordID, [.set("city", .string("Suzhou"))]))
        #expect(try store.state("account", id: edits[7].recordID)?.version.covers(edited.dot) == true)
        #expect(try store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE account = ?", arguments: [edits[7].recordID]) } == 1)
        #expect(try store.database.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test("A v7 store's records move to the rowid table with their states, history heads and account index")
    func upgradesSchemaSeven() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let source = try Stores.memory()
        let accounts = (0..<3).map { _ in RecordIDs.make() }
        var changes: [RecordID: Change] = [:]
        for (index, id) in accounts.enumerated() {
            changes[id] = try source.apply(Sample.account(id, name: "苏州恒信贸易有限公司\(index)"))
        }
        let states = try accounts.map { try #require(try source.state("account", id: $0)) }
        do {
            let queue = try DatabaseQueue(path: path)
            try DeviceStore.migrator.migrate(queue, upTo: "v7-history-chain")
            try queue.write { db in
                #expect(try Self.recordsTableSQL(db).uppercased().contains("WITHOUT ROWID"))
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('replica', ?)", arguments: [source.replicaID.rawValue])
                for (index, state) in states.enumerated() {
                    let change = try #require(changes[state.id])
                    try db.execute(
                        sql: """
                            INSERT INTO history(entity, record_id, replica, counter, hlc, hlc_logical, origin, change, diff, applied_at)
                            VALUES ('account', ?, ?, ?, ?, ?, 'remote', ?, '{}', ?)
                            """,
                        arguments: [
                            state.id, source.replicaID.rawValue, change.dot.counter, change.hlc.physical, change.hlc.logical,
                            String(decoding: try JSONEncoder().encode(change), as: UTF8.self), change.hlc.physical,
                        ]
                    )
                    try db.execute(
                        sql: """
                            INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified, history_head)
                            VALUES ('account', ?, ?, '{}', 0, 0, ?, ?, ?)
                            """,
                        arguments: [state.id, Data(state.binaryEncoded()), state.id, index, db.lastInsertedRowID]
                    )
                }
            }
        }

        let store = try DeviceStore(path: path, schema: Stores.schema, physicalClock: { 1_800_000_000_000 })
        try store.database.read { db in
            #expect(!(try Self.recordsTableSQL(db).uppercased().contains("WITHOUT ROWID")))
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name")
            #expect(indexes == ["records_account", "sqlite_autoindex_records_1"])
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }
        for (id, state) in zip(accounts, states) {
            #expect(try store.state("account", id: id) == state)
            #expect(try store.history("account", id: id).map(\.change) == [changes[id]])
        }
        let edit = try store.apply(.update("account", id: accounts[1], [.set("city", .string("Suzhou"))]))
        #expect(try store.history("account", id: accounts[1]).map(\.change) == [changes[accounts[1]], edit])
        #expect(try store.state("account", id: accounts[1])?.value(of: "city") == .string("Suzhou"))
    }
}
