import FieldSyncTestSupport
import Foundation
import GRDB
import SQLiteDirect
@testable import SyncStore
import SyncCore
import Testing

/// The store's statements run through SQLite's C interface inside a transaction and through
/// GRDB outside one (`Database.run`, `Database.first`): both must give the same rows, values
/// and errors.
@Suite struct DirectStatementTests {
    @Test func sameOutcomesInAndOutOfTransactions() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE u (k TEXT PRIMARY KEY, n INTEGER, b BLOB, d REAL)") }
        let blob = Data([0, 1, 0xFF, 0x7B])
        let (inside, outside) = try TransactionOutcomes.inAndOut(queue, cases: { inTransaction -> [(sql: String, values: [DatabaseValue])] in
            let tag = String(inTransaction)
            return [
                ("SELECT ?2, ?1, ?2", ["上海".databaseValue, 7.databaseValue]),
                ("SELECT ?1, length(?1), ?2 IS NULL", ["客户 café".databaseValue, .null]),
                ("SELECT ?1, ?1 = ''", ["".databaseValue]),
                ("INSERT INTO u (k, n, b, d) VALUES (?1, ?2, ?3, ?4)", ["k\(tag)".databaseValue, 1.databaseValue, blob.databaseValue, 2.5.databaseValue]),
                ("INSERT INTO u (k, n) VALUES (?1, ?2)", ["k\(tag)".databaseValue, 2.databaseValue]),
                ("INSERT INTO u (k, n, b) VALUES (?2, ?1, ?3)", [3.databaseValue, "other\(tag)".databaseValue, Data().databaseValue]),
                ("SELECT k, n, hex(b), d, b IS NULL FROM u WHERE k LIKE ?1 ORDER BY k", ["%\(tag)".databaseValue]),
                ("SELECT ?1, ?2", ["one value for two".databaseValue]),
                ("SELECT k FROM u WHERE k = ?1", ["absent".databaseValue]),
                ("INSERT INTO u (k, n) VALUES (?1, 5), (?2, 6) ON CONFLICT(k) DO NOTHING RETURNING k, n", ["k\(tag)".databaseValue, "new\(tag)".databaseValue]),
            ]
        }) { db, item in
            if item.sql.hasPrefix("INSERT"), !item.sql.contains("RETURNING") {
                try db.run(item.sql, item.values)
                return "done"
            }
            // The rows as text, NULL named.
            func text(_ row: DirectRow) -> String {
                (0..<row.columnCount).map { index -> String in
                    if row.isNull(index) { return "NULL" }
                    return row.text(index) ?? "?"
                }.joined(separator: ",")
            }
            let rows = try db.rows(item.sql, item.values, text)
            if item.sql.hasPrefix("SELECT") {
                let first = try db.first(item.sql, item.values, text)
                #expect(first == rows.first)
            }
            return rows.isEmpty ? "no row" : rows.joined(separator: ";")
        }
        #expect(inside.map { $0.replacingOccurrences(of: "true", with: "X") } == outside.map { $0.replacingOccurrences(of: "false", with: "X") })
        #expect(inside[0] == "7,上海,7")
        #expect(inside[1] == "客户 café,7,1")
        #expect(inside[2] == ",1")
        #expect(inside[3] == "done")
        #expect(inside[4] == "error \(ResultCode.SQLITE_CONSTRAINT)")
        // The failed insert changed nothing, and the transaction went on.
        #expect(inside[5] == "done")
        #expect(inside[6] == "ktrue,1,0001FF7B,2.5,0;othertrue,3,,NULL,0")
        #expect(inside[7].hasPrefix("error"))
        #expect(inside[8] == "no row")
        // RETURNING names only the row written.
        #expect(inside[9] == "newtrue,6")
        let stored = try queue.read { db in try Row.fetchAll(db, sql: "SELECT k, n, b, d FROM u ORDER BY k") }
        #expect(stored.map { $0["k"] as String } == ["kfalse", "ktrue", "newfalse", "newtrue", "otherfalse", "othertrue"])
        #expect(stored[1]["b"] as Data == blob)
        #expect(stored[5]["b"] as Data? == Data())
    }

    /// A statement whose failure took its whole transaction with it (here a trigger's
    /// `RAISE(ROLLBACK)`; a full disk or an I/O error may do the same) fails with SQLite's
    /// error: run again, it would be written alone, outside the transaction it belonged to.
    @Test(arguments: [false, true]) func failureThatEndsItsTransaction(inGRDBBlock: Bool) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE u (k TEXT PRIMARY KEY);
                CREATE TRIGGER one_row BEFORE INSERT ON u WHEN (SELECT COUNT(*) FROM u) >= 1
                BEGIN SELECT RAISE(ROLLBACK, 'one row at most'); END;
                """)
        }
        func insertTwo(_ db: Database) throws {
            try db.run("INSERT INTO u (k) VALUES (?1)", ["first".databaseValue])
            try db.run("INSERT INTO u (k) VALUES (?1)", ["second".databaseValue])
        }
        var message: String?
        do {
            if inGRDBBlock {
                try queue.write(insertTwo)
            } else {
                // A transaction begun by hand, outside GRDB's transaction blocks.
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    try insertTwo(db)
                    try db.execute(sql: "COMMIT")
                }
            }
        } catch let error as DatabaseError {
            message = error.message
        }
        #expect(message == "one row at most")
        // The ROLLBACK took the first row with it, and the second was not written alone.
        #expect(try queue.read { db in try String.fetchAll(db, sql: "SELECT k FROM u") } == [])
    }

    /// A stored state read from SQLite's bytes (the direct path) and through GRDB's `Data` decodes alike.
    @Test func storedStateReadAlikeBothWays() throws {
        let temporary = try TemporaryStore()
        let id = RecordIDs.make()
        try temporary.store.apply(.create("account", id: id, [.set("name", .string("华东 客户")), .set("tier", .string("A")), .set("territory", .string("east"))]))
        let direct = try temporary.store.database.write { db in try DeviceStore.loadState(db, "account", id) }
        let throughGRDB = try temporary.store.database.writeWithoutTransaction { db in try DeviceStore.loadState(db, "account", id) }
        #expect(direct != nil)
        #expect(direct == throughGRDB)
        #expect(direct?.value(of: "name") == .string("华东 客户"))
    }
}
