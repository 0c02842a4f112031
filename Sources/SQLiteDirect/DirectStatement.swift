import GRDB
import GRDBSQLite

/// Runs GRDB's cached statements through SQLite's C interface, which GRDB exposes for this
/// (`Statement.sqliteStatement`), for the statements a store runs over and over inside its
/// transactions: the device's tracked edit and the server's push.
///
/// GRDB's arguments (an array and a dictionary of values, checked against the placeholders),
/// its cursors and its rows (a dictionary of lowercased column names built for every fetch)
/// cost more than SQLite's own work on those small statements: Benchmarks/README.md,
/// "Statements through SQLite's interface" (the server) and "A tracked edit's statements" (the
/// device).
///
/// Whenever this path declines, the caller runs the statement again through GRDB, which then
/// sees it as it always did: outside a transaction (so GRDB keeps its account of transactions),
/// when the values do not fit the placeholders, or when SQLite fails the statement (a failed
/// statement changed nothing: SQLite rolls each one back, and no statement the stores run this
/// way uses `OR FAIL`), so GRDB reports its errors and keeps its account of aborted
/// transactions. The one failure it does not hand on is one that ended the transaction: that
/// throws SQLite's error (see `run`). No GRDB observation watches these stores: a statement
/// stepped here is not announced to GRDB's transaction observers.
public enum DirectStatement {
    /// Binds the statement's values with `bind` and steps it to its end, calling `row` on each
    /// row. False, with nothing changed, when GRDB should run it instead: outside a
    /// transaction, when `bind` returns false, or when SQLite fails the statement; `row` may
    /// have been called on rows before the failure, so the caller keeps what it read only on
    /// true.
    ///
    /// Throws SQLite's error when a failed statement took its whole transaction with it (SQLite
    /// may roll the transaction back on a full disk, an I/O error, or `RAISE(ROLLBACK)`): run
    /// again, the statement would run alone, outside the transaction it belonged to.
    public static func run(
        _ prepared: Statement, in db: Database, bind: (OpaquePointer) -> Bool, row: (OpaquePointer) throws -> Void
    ) throws -> Bool {
        guard sqlite3_get_autocommit(db.sqliteConnection) == 0 else { return false }
        let compiled = prepared.sqliteStatement
        sqlite3_reset(compiled)
        // The bindings are cleared after the run: GRDB binds every value again when it next
        // runs the statement, and no binding outlives the values it was made from.
        defer {
            sqlite3_reset(compiled)
            sqlite3_clear_bindings(compiled)
        }
        guard bind(compiled) else { return false }
        while true {
            switch sqlite3_step(compiled) {
            case SQLITE_DONE: return true
            case SQLITE_ROW: try row(compiled)
            case let code:
                guard sqlite3_get_autocommit(db.sqliteConnection) == 0 else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: prepared.sql
                    )
                }
                return false
            }
        }
    }

    /// Binds `values` to the placeholders `?1 … ?N` in order; false when their counts differ.
    public static func bind(_ values: [DatabaseValue], to compiled: OpaquePointer) -> Bool {
        guard Int(sqlite3_bind_parameter_count(compiled)) == values.count else { return false }
        // GRDB's own binding of each value (`StatementBinding`), as its statements bind them.
        for (offset, value) in values.enumerated() where value.bind(to: compiled, at: CInt(offset + 1)) != SQLITE_OK {
            return false
        }
        return true
    }
}

/// The row a statement stands on, read through SQLite's C interface; valid until the next step.
public struct DirectRow {
    public let compiled: OpaquePointer

    public init(_ compiled: OpaquePointer) {
        self.compiled = compiled
    }

    public var columnCount: CInt { sqlite3_column_count(compiled) }

    public func isNull(_ index: CInt) -> Bool {
        sqlite3_column_type(compiled, index) == SQLITE_NULL
    }

    /// The column as an integer (0 for NULL, as SQLite converts).
    public func int64(_ index: CInt) -> Int64 {
        sqlite3_column_int64(compiled, index)
    }

    /// The column's text; nil for NULL.
    public func text(_ index: CInt) -> String? {
        guard let text = sqlite3_column_text(compiled, index) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(compiled, index))), as: UTF8.self)
    }

    /// Calls `body` on the column's bytes (a blob's, or a text's UTF-8), which SQLite owns.
    public func withBytes<T>(_ index: CInt, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let start = sqlite3_column_blob(compiled, index)
        let count = Int(sqlite3_column_bytes(compiled, index))
        return try body(UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
    }
}
