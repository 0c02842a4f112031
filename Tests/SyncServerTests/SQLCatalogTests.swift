import FieldSyncTestSupport
import Foundation
import GRDB
import Logging
import Testing

@testable import SyncServer

/// Every statement the storage runs is written for each backend in a catalog (`SQLCatalog`);
/// these tests prepare each one on a real SQLite and a real PostgreSQL database, so a typo in
/// either dialect fails here rather than in a request.
@Suite("SQL catalogs: every statement prepares on both backends")
struct SQLCatalogTests {
    /// Every statement of every catalog, named `Catalog.case`.
    static var statements: [(name: String, statement: SQLStatement)] {
        SQLCatalogs.all.flatMap { catalog in cases(of: catalog) }
    }

    private static func cases<C: SQLCatalog>(of catalog: C.Type) -> [(name: String, statement: SQLStatement)] {
        C.allCases.map { ("\(C.self).\($0)", $0.statement) }
    }

    @Test("every catalog in the sources is listed, and no statement uses SQLite's ? placeholders")
    func catalogsAreComplete() throws {
        let declared = try InputHardeningTests.serverSources().flatMap { _, text in
            text.matches(of: /enum (\w+): SQLCatalog/).map { String($0.output.1) }
        }
        #expect(Set(declared) == Set(SQLCatalogs.all.map { "\($0)" }))
        #expect(Self.statements.count > 100)
        for (name, statement) in Self.statements {
            for text in [statement.sqlite, statement.postgres].compactMap({ $0 }) {
                #expect(!Self.unquoted(text).contains("?"), "\(name) has a ? placeholder: both backends take $N")
            }
        }
    }

    @Test("every statement with a SQLite text prepares on a migrated SQLite store")
    func preparesOnSQLite() async throws {
        let failures = try await Self.sqliteFailures(of: Self.statements)
        #expect(failures.isEmpty, "\(failures)")
        #expect(Self.statements.filter { $0.statement.sqlite != nil }.count > 100)
    }

    @Test("every statement with a PostgreSQL text prepares on a migrated PostgreSQL store", .enabled(if: PostgresTestCluster.shouldRun))
    func preparesOnPostgres() async throws {
        let failures = try await Self.postgresFailures(of: Self.statements)
        #expect(failures.isEmpty, "\(failures)")
        #expect(Self.statements.filter { $0.statement.postgres != nil }.count > 100)
    }

    @Test("the check fails a statement with a typo, or an unknown column, on each backend", arguments: StorageBackend.all)
    func typosFail(backend: StorageBackend) async throws {
        let broken: [(name: String, statement: SQLStatement)] = [
            ("typo", "SELEC state FROM records WHERE id = $1"),
            ("column", "SELECT stat FROM records WHERE id = $1"),
            ("fine", "SELECT state FROM records WHERE id = $1"),
        ]
        let failures = switch backend {
        case .sqlite: try await Self.sqliteFailures(of: broken)
        case .postgres: try await Self.postgresFailures(of: broken)
        }
        #expect(failures.map(\.name) == ["typo", "column"])
    }

    @Test("a row reads its columns by name on each backend: each row its own values, the first of two same-named columns, NULL as nil", arguments: StorageBackend.all)
    func rowsReadByName(backend: StorageBackend) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-rows-\(UUID().uuidString).sqlite").path
        let store = try await TestStore.open(backend, sqlitePath: path, logger: Self.quiet())
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let rows = try await store.read { db in try await SQLRow.fetchAll(db, sql: TestSQL.rowShapes, arguments: ["上海", 41, "北京"]) }
        let first = try await store.read { db in try await String.fetchOne(db, sql: TestSQL.rowShapes, arguments: ["上海", 41, "北京"]) }
        let all = try await store.read { db in try await String.fetchAll(db, sql: TestSQL.rowShapes, arguments: ["上海", 41, "北京"]) }
        try await store.close()
        #expect(rows.count == 2)
        #expect(rows.map { $0["name"] as String } == ["上海", "北京"])
        #expect(rows.map { $0["note"] as String? } == [nil, "noted"])
        #expect(rows.map { $0["n"] as Int64 } == [41, 42])
        #expect(rows.map { $0["absent"] as String? } == [nil, nil])
        #expect(first == "上海")
        #expect(all == ["上海", "北京"])
    }

    @Test("a cached SQLite statement reads its columns by the names they have when it runs, after another connection rebuilt the table with one more column in another order")
    func columnsAfterARebuild() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-rebuild-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let pool = try DatabasePool(path: path)
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT NOT NULL, b TEXT); INSERT INTO t VALUES ('first', NULL)")
        }
        let select: SQLStatement = "SELECT * FROM t"
        func read() async throws -> (a: String, b: String?, added: String?) {
            try await pool.write { db in
                let row = try #require(try GRDBDatabase(db).fetchRows(select, values: []).first)
                return (row["a"], row["b"], row["added"])
            }
        }
        #expect(try await read() == ("first", nil, nil))
        // Another connection (another process, or a migration run by another store) rebuilds
        // the table with the columns in another order, as SQLite migrations do.
        let other = try DatabaseQueue(path: path)
        try await other.write { db in
            try db.execute(sql: """
                CREATE TABLE t_new (added TEXT NOT NULL DEFAULT 'new', b TEXT, a TEXT NOT NULL);
                INSERT INTO t_new (b, a) SELECT b, a FROM t;
                DROP TABLE t;
                ALTER TABLE t_new RENAME TO t
                """)
        }
        try other.close()
        // The pool's writer still holds the statement it prepared before; SQLite prepares it
        // again when it runs, with the new columns.
        #expect(try await read() == ("first", nil, "new"))
        try pool.close()
    }

    @Test("a SQLite statement binds $N to the Nth value and fails alike inside a transaction (SQLite's interface) and outside it (GRDB's)")
    func bindingInAndOutOfTransactions() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE u (k TEXT PRIMARY KEY, n INTEGER)") }
        let (inside, outside) = try TransactionOutcomes.inAndOut(queue, cases: { inTransaction -> [(SQLStatement, [SQLValue])] in
            [
                ("SELECT $2 AS b, $1 AS a, $2 AS b2", [.text("上海"), .integer(7)]),
                ("SELECT $1 AS t, length($1) AS n, $2 IS NULL AS absent", [.text("客户 café"), .null]),
                ("SELECT $1 AS t, $1 = '' AS isEmpty", [.text("")]),
                ("INSERT INTO u (k, n) VALUES ($1, $2)", [.text("k\(inTransaction)"), .integer(1)]),
                ("INSERT INTO u (k, n) VALUES ($1, $2)", [.text("k\(inTransaction)"), .integer(2)]),
                ("INSERT INTO u (k, n) VALUES ($2, $1)", [.integer(3), .text("other\(inTransaction)")]),
                ("SELECT k, n FROM u WHERE k LIKE $1 ORDER BY k", [.text("%\(inTransaction)")]),
                ("SELECT $1 AS a, $2 AS b", [.text("one value for two")]),
                ("SELECT $1 AS a", [.text("two values"), .text("for one")]),
            ]
        }) { db, item in
            // Each case's rows as text.
            let rows = try GRDBDatabase(db).fetchRows(item.0, values: item.1)
            return rows.map { row in row.values.map { "\($0)" }.joined(separator: ",") }.joined(separator: ";")
        }
        #expect(inside.map { $0.replacingOccurrences(of: "true", with: "X") } == outside.map { $0.replacingOccurrences(of: "false", with: "X") })
        #expect(inside[0] == "integer(7),text(\"上海\"),integer(7)")
        #expect(inside[1] == "text(\"客户 café\"),integer(7),integer(1)")
        #expect(inside[2] == "text(\"\"),integer(1)")
        #expect(inside[3] == "")
        #expect(inside[4] == "error \(ResultCode.SQLITE_CONSTRAINT)")
        // The failed insert changed nothing, and the transaction went on.
        #expect(inside[6] == "text(\"ktrue\"),integer(1);text(\"othertrue\"),integer(3)")
        #expect(inside[7].hasPrefix("error"))
        // GRDB, which runs a statement whose values and placeholders differ, ignores a value
        // with no placeholder.
        #expect(inside[8] == "text(\"two values\")")
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM u") } == 4)
    }

    /// The statements SQLite refuses to prepare, with its message.
    static func sqliteFailures(of statements: [(name: String, statement: SQLStatement)]) async throws -> [(name: String, error: String)] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteServerStorage(path: directory.appendingPathComponent("server.sqlite").path, logger: quiet())
        let failures = try await storage.pool.write { db in
            statements.compactMap { name, statement -> (name: String, error: String)? in
                guard let text = statement.sqlite else { return nil }
                do {
                    _ = try db.makeStatement(sql: text)
                    return nil
                } catch {
                    return (name, "\(error)")
                }
            }
        }
        try await storage.close()
        return failures
    }

    /// The statements PostgreSQL refuses to prepare with no parameter types given (as a NULL is
    /// bound), with its message.
    static func postgresFailures(of statements: [(name: String, statement: SQLStatement)]) async throws -> [(name: String, error: String)] {
        let store = try await TestStore.open(.postgres, sqlitePath: "", logger: quiet())
        var failures: [(name: String, error: String)] = []
        if let storage = store.base as? PostgresServerStorage {
            for (name, statement) in statements {
                guard let text = statement.postgres else { continue }
                do {
                    // Each in its own transaction: a failed PREPARE aborts it.
                    try await storage.transaction(.readCommitted, lock: .skipped) { db in
                        try await db.command(PostgresCommand(text: "PREPARE fieldsync_catalog_check AS " + text))
                        try await db.command(PostgresCommand(text: "DEALLOCATE fieldsync_catalog_check"))
                    }
                } catch {
                    failures.append((name, "\(error)"))
                }
            }
        } else {
            failures.append(("store", "the PostgreSQL test store is not a PostgresServerStorage"))
        }
        try await store.close()
        return failures
    }

    /// The text outside quoted strings and identifiers.
    static func unquoted(_ text: String) -> String {
        var result = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func quiet() -> Logger {
        var logger = Logger(label: "catalog-test")
        logger.logLevel = .critical
        return logger
    }
}
