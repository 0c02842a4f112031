import GRDB
import SQLiteDirect

/// The store's frequent statements (those of a tracked edit, of a change received and of a
/// snapshot page), run through SQLite's C interface inside a transaction and through GRDB
/// otherwise: see `DirectStatement`. `?N` takes the Nth value.
extension Database {
    /// Runs the cached statement `sql` with `values`.
    func run(_ sql: String, _ values: [DatabaseValue]) throws {
        let prepared = try cachedStatement(sql: sql)
        if try DirectStatement.run(prepared, in: self, bind: { DirectStatement.bind(values, to: $0) }, row: { _ in }) { return }
        try prepared.execute(arguments: StatementArguments(values))
    }

    /// The rows of the cached statement `sql` with `values`, each read by `read`.
    func rows<T>(_ sql: String, _ values: [DatabaseValue], _ read: (DirectRow) throws -> T) throws -> [T] {
        try rows(sql, values, upTo: .max, read)
    }

    /// The first row of the cached statement `sql` with `values`, read by `read`; nil when the
    /// statement has no row.
    func first<T>(_ sql: String, _ values: [DatabaseValue], _ read: (DirectRow) throws -> T) throws -> T? {
        try rows(sql, values, upTo: 1, read).first
    }

    /// The first `limit` rows, each read by `read`; the statement still runs to its end.
    private func rows<T>(_ sql: String, _ values: [DatabaseValue], upTo limit: Int, _ read: (DirectRow) throws -> T) throws -> [T] {
        let prepared = try cachedStatement(sql: sql)
        var result: [T] = []
        let direct = try DirectStatement.run(prepared, in: self, bind: { DirectStatement.bind(values, to: $0) }) { compiled in
            if result.count < limit { result.append(try read(DirectRow(compiled))) }
        }
        if direct { return result }
        // Through GRDB: what the direct run read, if anything, is dropped.
        result.removeAll()
        let cursor = try Row.fetchCursor(prepared, arguments: StatementArguments(values))
        while try cursor.next() != nil {
            if result.count < limit { result.append(try read(DirectRow(prepared.sqliteStatement))) }
        }
        return result
    }
}
