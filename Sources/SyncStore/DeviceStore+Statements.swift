import GRDB
import SQLiteDirect

/// The store's frequent statements (those of a tracked edit and of a change received), run
/// through SQLite's C interface inside a transaction and through GRDB otherwise: see
/// `DirectStatement`. `?N` takes the Nth value.
extension Database {
    /// Runs the cached statement `sql` with `values`.
    func run(_ sql: String, _ values: [DatabaseValue]) throws {
        let prepared = try cachedStatement(sql: sql)
        if DirectStatement.run(prepared, in: self, bind: { DirectStatement.bind(values, to: $0) }, row: { _ in }) { return }
        try prepared.execute(arguments: StatementArguments(values))
    }

    /// The first row of the cached statement `sql` with `values`, read by `read`; nil when the
    /// statement has no row.
    func first<T>(_ sql: String, _ values: [DatabaseValue], _ read: (DirectRow) throws -> T) throws -> T? {
        let prepared = try cachedStatement(sql: sql)
        var result: T?
        let direct = try DirectStatement.run(prepared, in: self, bind: { DirectStatement.bind(values, to: $0) }) { compiled in
            if result == nil { result = try read(DirectRow(compiled)) }
        }
        if direct { return result }
        let cursor = try Row.fetchCursor(prepared, arguments: StatementArguments(values))
        guard try cursor.next() != nil else { return nil }
        return try read(DirectRow(prepared.sqliteStatement))
    }
}
