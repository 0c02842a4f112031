/// One open database access of a SQL backend (a transaction, or a consistent read), as the
/// backend-neutral storage code sees it.
///
/// The sync, scope, account and conflict-log logic is written once against this protocol
/// (see `SQLServerStorage`), and SQLite (GRDB) and PostgreSQL (postgres-nio) each adapt their
/// connection to it. Every statement is a case of a catalog (`SQLCatalog`) that carries its text
/// for each backend, with `$N` placeholders (both databases read them; SQLite binds them by
/// number, see `GRDBDatabase`) and bound values; the adapters run the text as written.
///
/// The methods are `async` so that PostgreSQL's round trips suspend the task instead of
/// blocking a thread. GRDB's are synchronous and never suspend: a SQLite transaction body runs
/// start to end inside GRDB's closure (`SynchronousBody`), so a body must await nothing but its
/// database.
public protocol SQLDatabase {
    /// Runs a query and returns every row.
    func fetchRows(_ statement: SQLStatement, values: [SQLValue]) async throws -> [SQLRow]

    /// Runs a statement; `changesCount` then tells how many rows it changed.
    func executeStatement(_ statement: SQLStatement, values: [SQLValue]) async throws

    /// Rows changed by the last `execute`.
    var changesCount: Int { get }

    /// Which SQL dialect the database speaks, for the code paths that differ (PostgreSQL's
    /// advisory locks).
    var dialect: SQLDialect { get }

    /// Notes that a push enters the statements that run in commit order across servers (the
    /// server clock's row, held until COMMIT), for the log lock's statistics.
    func enterCommitOrder()
}

extension SQLDatabase {
    public func enterCommitOrder() {}
}

/// The SQL dialects of the backends.
public enum SQLDialect: Sendable, Hashable, CaseIterable {
    case sqlite
    case postgres
}

/// One statement of the storage, as written for each backend: the same text for both where
/// they agree (a string literal), two texts where they differ, or one backend's text only for
/// what only it runs (PostgreSQL's advisory locks). Placeholders are `$1`, `$2`… in both.
public struct SQLStatement: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The text SQLite runs; nil when the statement is PostgreSQL's only.
    public let sqlite: String?
    /// The text PostgreSQL runs; nil when the statement is SQLite's only.
    public let postgres: String?

    /// One text for both backends.
    public init(stringLiteral text: String) {
        self.init(sqlite: text, postgres: text)
    }

    /// One text for both backends.
    public init(_ text: String) {
        self.init(sqlite: text, postgres: text)
    }

    /// One text written once with the fragments that differ given for each backend (`build`
    /// runs once per backend, when the statement is made).
    public init(_ build: (SQLDialect) -> String) {
        self.init(sqlite: build(.sqlite), postgres: build(.postgres))
    }

    /// A text for each backend (nil: the backend never runs it).
    public init(sqlite: String?, postgres: String?) {
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// The text `dialect` runs; asking a backend for a statement it has none of is a
    /// programming error of the storage code, reported as an internal error.
    public func text(for dialect: SQLDialect) throws -> String {
        let text = switch dialect {
        case .sqlite: sqlite
        case .postgres: postgres
        }
        guard let text else {
            throw ServerError(.internalError, .statementDialect, ["dialect": dialect, "sql": sqlite ?? postgres ?? ""])
        }
        return text
    }
}

extension SQLDialect {
    /// The elements of the JSON array of text `array` (a parameter or a column) as a table of
    /// one column, `value`.
    public func jsonElements(_ array: String) -> String {
        switch self {
        case .sqlite: "json_each(\(array))"
        case .postgres: "json_array_elements_text(CAST(\(array) AS json)) AS json_elements(value)"
        }
    }

    /// The clause, after a table (and its alias), that makes SQLite read it through `index`;
    /// nothing in PostgreSQL, which has no index hints.
    public func indexedBy(_ index: String) -> String {
        self == .sqlite ? " INDEXED BY \(index)" : ""
    }
}

/// A set of statements, one case each, written for each backend (`SQLStatement`). Every
/// statement the storage runs is a case of one of them (`SQLCatalogs.all`), so a test walks them
/// all and prepares each on a real SQLite and a real PostgreSQL database: a typo in either
/// dialect fails that test instead of a request in production.
public protocol SQLCatalog: CaseIterable, Sendable {
    var statement: SQLStatement { get }
}

extension SQLDatabase {
    func execute(sql: some SQLCatalog, arguments: [any SQLBindable] = []) async throws {
        try await executeStatement(sql.statement, values: arguments.map(\.sqlValue))
    }
}

/// A value bound to a statement or read from a row. Booleans are stored as 0 and 1 in both
/// dialects, so the same comparisons (`deleted = 0`) work everywhere.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
}

/// A Swift value that can be bound to a statement.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

/// A Swift value that can be read from a column.
public protocol SQLReadable {
    init?(sqlValue: SQLValue)
}

extension String: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        self = text
    }
}

extension Int64: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Int: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = Int(value)
    }
}

extension Bool: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value != 0
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLReadable where Wrapped: SQLReadable {
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .null:
            self = .none
        case .integer, .text:
            guard let value = Wrapped(sqlValue: sqlValue) else { return nil }
            self = .some(value)
        }
    }
}

/// The columns of one result, shared by its rows: where each name sits (the first column of
/// that name, as in a GRDB row). Built once per query, so a row is an array of values and
/// reading a column hashes its name once, with no dictionary made per row.
public final class SQLColumns: Sendable {
    let positions: [String: Int]

    public init(names: some Sequence<String>) {
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil {
            positions[name] = index
        }
        self.positions = positions
    }
}

/// One result row, read by column name like a GRDB row.
public struct SQLRow: Sendable {
    let columns: SQLColumns
    /// The values in the order of the statement's columns.
    let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The column's value; a missing column or a value of another type is a programming error
    /// (the statements are fixed), so it traps like GRDB's row subscript.
    public subscript<T: SQLReadable>(_ name: String) -> T {
        let value = columns.positions[name].map { values[$0] } ?? .null
        guard let converted = T(sqlValue: value) else {
            preconditionFailure("column \(name) holds \(value), not \(T.self)")
        }
        return converted
    }
}

extension SQLRow {
    static func fetchAll(_ db: any SQLDatabase, sql: some SQLCatalog, arguments: [any SQLBindable] = []) async throws -> [SQLRow] {
        try await db.fetchRows(sql.statement, values: arguments.map(\.sqlValue))
    }

    static func fetchOne(_ db: any SQLDatabase, sql: some SQLCatalog, arguments: [any SQLBindable] = []) async throws -> SQLRow? {
        try await fetchAll(db, sql: sql, arguments: arguments).first
    }
}

extension SQLReadable {
    static func fetchOne(_ db: any SQLDatabase, sql: some SQLCatalog, arguments: [any SQLBindable] = []) async throws -> Self? {
        guard let row = try await SQLRow.fetchAll(db, sql: sql, arguments: arguments).first, let value = row.values.first else {
            return nil
        }
        return try decode(value)
    }

    static func fetchAll(_ db: any SQLDatabase, sql: some SQLCatalog, arguments: [any SQLBindable] = []) async throws -> [Self] {
        try await SQLRow.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            try row.values.first.flatMap { try decode($0) }
        }
    }

    /// NULL reads as nil, like GRDB's `fetchOne` of a non-optional type.
    private static func decode(_ value: SQLValue) throws -> Self? {
        switch value {
        case .null: return nil
        case .integer, .text: break
        }
        guard let converted = Self(sqlValue: value) else {
            throw ServerError(.internalError, .columnValue, ["value": "\(value)"])
        }
        return converted
    }
}
