/// One open database access of a SQL backend (a transaction, or a consistent read), as the
/// backend-neutral storage code sees it.
///
/// The sync, scope, account and conflict-log logic is written once against this protocol
/// (see `SQLServerStorage`), and SQLite (GRDB) and PostgreSQL (postgres-nio) each adapt their
/// connection to it. Statements are SQLite-flavoured SQL text with `?` (or `?N`) placeholders
/// and bound values, kept to what PostgreSQL also understands; the PostgreSQL adapter
/// translates the placeholders and `json_each` (see `PostgresSQLDatabase`).
///
/// The methods are `async` so that PostgreSQL's round trips suspend the task instead of
/// blocking a thread. GRDB's are synchronous and never suspend: a SQLite transaction body runs
/// start to end inside GRDB's closure (`SynchronousBody`), so a body must await nothing but its
/// database.
public protocol SQLDatabase {
    /// Runs a query and returns every row.
    func fetchRows(sql: String, values: [SQLValue]) async throws -> [SQLRow]

    /// Runs a statement; `changesCount` then tells how many rows it changed.
    func executeStatement(sql: String, values: [SQLValue]) async throws

    /// Rows changed by the last `execute`.
    var changesCount: Int { get }

    /// Which SQL dialect the database speaks, for the few statements that cannot be written
    /// once (JSON paths into a stored state, index hints).
    var dialect: SQLDialect { get }

    /// Notes that a push enters the statements that run in commit order across servers (the
    /// server clock's row, held until COMMIT), for the log lock's statistics.
    func enterCommitOrder()
}

extension SQLDatabase {
    public func enterCommitOrder() {}
}

/// The SQL dialects of the backends.
public enum SQLDialect: Sendable, Hashable {
    case sqlite
    case postgres
}

extension SQLDatabase {
    func execute(sql: String, arguments: [any SQLBindable] = []) async throws {
        try await executeStatement(sql: sql, values: arguments.map(\.sqlValue))
    }
}

/// A value bound to a statement or read from a row. Booleans are stored as 0 and 1 in both
/// dialects, so the same comparisons (`deleted = 0`) work everywhere.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    /// A bound NULL that remembers the Swift type it stands for: PostgreSQL cannot always infer
    /// a parameter's type (`?1 IS NULL OR id = ?1`), so its adapter casts such NULLs.
    case typedNull(SQLType)
}

/// The column types the storage binds.
public enum SQLType: Sendable, Hashable {
    case integer
    case text
}

/// A Swift value that can be bound to a statement.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
    /// How a missing value of this type is bound.
    static var sqlNull: SQLValue { get }
}

/// A Swift value that can be read from a column.
public protocol SQLReadable {
    init?(sqlValue: SQLValue)
}

extension String: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .text(self) }
    public static var sqlNull: SQLValue { .typedNull(.text) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        self = text
    }
}

extension Int64: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(self) }
    public static var sqlNull: SQLValue { .typedNull(.integer) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Int: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public static var sqlNull: SQLValue { .typedNull(.integer) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = Int(value)
    }
}

extension Bool: SQLBindable, SQLReadable {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public static var sqlNull: SQLValue { .typedNull(.integer) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value != 0
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? Wrapped.sqlNull }
    public static var sqlNull: SQLValue { Wrapped.sqlNull }
}

extension Optional: SQLReadable where Wrapped: SQLReadable {
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .null, .typedNull:
            self = .none
        case .integer, .text:
            guard let value = Wrapped(sqlValue: sqlValue) else { return nil }
            self = .some(value)
        }
    }
}

/// One result row, read by column name like a GRDB row.
public struct SQLRow: Sendable {
    var columns: [String: SQLValue]

    public init(columns: [String: SQLValue]) {
        self.columns = columns
    }

    /// The column's value; a missing column or a value of another type is a programming error
    /// (the statements are fixed), so it traps like GRDB's row subscript.
    public subscript<T: SQLReadable>(_ name: String) -> T {
        let value = columns[name] ?? .null
        guard let converted = T(sqlValue: value) else {
            preconditionFailure("column \(name) holds \(value), not \(T.self)")
        }
        return converted
    }
}

extension SQLRow {
    static func fetchAll(_ db: any SQLDatabase, sql: String, arguments: [any SQLBindable] = []) async throws -> [SQLRow] {
        try await db.fetchRows(sql: sql, values: arguments.map(\.sqlValue))
    }

    static func fetchOne(_ db: any SQLDatabase, sql: String, arguments: [any SQLBindable] = []) async throws -> SQLRow? {
        try await fetchAll(db, sql: sql, arguments: arguments).first
    }
}

extension SQLReadable {
    static func fetchOne(_ db: any SQLDatabase, sql: String, arguments: [any SQLBindable] = []) async throws -> Self? {
        guard let row = try await SQLRow.fetchAll(db, sql: sql, arguments: arguments).first, let value = row.columns.values.first else {
            return nil
        }
        return try decode(value, sql: sql)
    }

    static func fetchAll(_ db: any SQLDatabase, sql: String, arguments: [any SQLBindable] = []) async throws -> [Self] {
        try await SQLRow.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            try row.columns.values.first.flatMap { try decode($0, sql: sql) }
        }
    }

    /// NULL reads as nil, like GRDB's `fetchOne` of a non-optional type.
    private static func decode(_ value: SQLValue, sql: String) throws -> Self? {
        switch value {
        case .null, .typedNull: return nil
        case .integer, .text: break
        }
        guard let converted = Self(sqlValue: value) else {
            throw ServerError(.internalError, "unexpected column value \(value)")
        }
        return converted
    }
}
