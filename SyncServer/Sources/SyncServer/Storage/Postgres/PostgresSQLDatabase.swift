import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// One PostgreSQL connection, inside a transaction, as the `SQLDatabase` the shared storage
/// code runs on.
///
/// A statement runs as its catalog wrote it for PostgreSQL (`SQLStatement.postgres`), with
/// its values always bound, never spliced into the text: each is one extended-protocol round
/// trip (parse, bind, execute), whose parameter types are those of the bound values (int8,
/// text; a NULL's is inferred from the statement, which the catalog test checks by preparing
/// every statement with no types given). Each statement suspends its task until PostgreSQL
/// answers: no thread waits. One transaction's statements run one after the other on its task,
/// never concurrently.
final class PostgresSQLDatabase: SQLDatabase {
    let connection: PostgresConnection
    let logger: Logger
    private(set) var changesCount = 0
    var dialect: SQLDialect { .postgres }
    /// When a push entered its commit-ordered tail (`enterCommitOrder`), for the log lock's
    /// statistics.
    private(set) var commitOrderSince: ContinuousClock.Instant?
    /// Counts every statement sent (each one round trip), for the store's `statementsSent`.
    private let statements: StatementCounter?

    func enterCommitOrder() {
        commitOrderSince = ContinuousClock.now
    }

    init(connection: PostgresConnection, logger: Logger, statements: StatementCounter? = nil) {
        self.connection = connection
        self.logger = logger
        self.statements = statements
    }

    func fetchRows(_ statement: SQLStatement, values: [SQLValue]) async throws -> [SQLRow] {
        let text = try statement.text(for: .postgres)
        if let prepared = PostgresPreparedStatements.byText[text] {
            return try Self.rows(try await runPrepared(prepared, values))
        }
        return try Self.rows(try await run(text, values).rows)
    }

    func executeStatement(_ statement: SQLStatement, values: [SQLValue]) async throws {
        let text = try statement.text(for: .postgres)
        if let prepared = PostgresPreparedStatements.byText[text] {
            // Only queries are prepared: the rows they return are what their tag counts.
            changesCount = try await runPrepared(prepared, values).count
            return
        }
        changesCount = try await run(text, values).metadata.rows ?? 0
    }

    /// The rows with one set of column names, read off the first (every row of a result has
    /// the same columns).
    private static func rows(_ rows: some Collection<PostgresRow>) throws -> [SQLRow] {
        guard let first = rows.first else { return [] }
        let columns = SQLColumns(names: first.map(\.columnName))
        return try rows.map { row in SQLRow(columns: columns, values: try row.map(Self.value(of:))) }
    }

    /// Runs a prepared statement (`PostgresPreparedStatements`): one round trip, and one more
    /// the first time this connection runs it.
    private func runPrepared<Statement: PostgresPreparedStatements.Marker>(_ statement: Statement.Type, _ values: [SQLValue]) async throws -> [PostgresRow] {
        statements?.count.add(1, ordering: .relaxed)
        do {
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(PostgresPreparedStatements.Prepared<Statement>(values: values), logger: logger) {
                rows.append(row)
            }
            return rows
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }

    /// Runs one of PostgreSQL's own commands that take no values and are no catalog statement
    /// (they cannot be prepared): transaction settings, the migrations' DDL, VACUUM.
    func command(_ command: PostgresCommand) async throws {
        _ = try await run(command.text, [])
    }

    /// The rows and the command tag (for `changesCount`), which the row-sequence API does not
    /// give: the future-based query, awaited without blocking.
    private func run(_ sql: String, _ values: [SQLValue]) async throws -> PostgresQueryResult {
        statements?.count.add(1, ordering: .relaxed)
        do {
            return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.bindings(values)), logger: logger).get()
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }

    /// The values bound to a statement: int8, text, or a NULL whose type the statement infers.
    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: binds.appendNull()
            case .integer(let integer): binds.append(integer)
            case .text(let text): binds.append(text)
            }
        }
        return binds
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// How many statements a store sent to PostgreSQL, each one round trip: what tests and load
/// runs read to see how many a push costs per change.
final class StatementCounter: Sendable {
    let count = Atomic<Int>(0)
}

/// A command of PostgreSQL's that takes no values and cannot be prepared (SET, DDL, VACUUM):
/// the fixed texts the PostgreSQL backend runs besides its catalog statements.
struct PostgresCommand: Sendable, Hashable {
    var text: String

    static let repeatableReadOnly = PostgresCommand(text: "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    static let asynchronousCommit = PostgresCommand(text: "SET LOCAL synchronous_commit = off")
    static let vacuumLog = PostgresCommand(text: "VACUUM change_log")
}

/// A PostgreSQL error with the server's message (postgres-nio hides it from `description`).
struct PostgresFailure: Error, CustomStringConvertible {
    var error: PSQLError

    init(_ error: PSQLError) {
        self.error = error
    }

    /// The SQLSTATE code, e.g. 23505 for a unique violation.
    var code: String? { error.serverInfo?[.sqlState] }

    /// The constraint a violation names, e.g. `change_log_replica_counter_key`.
    var constraint: String? { error.serverInfo?[.constraintName] }

    var description: String {
        guard let info = error.serverInfo else { return "PostgreSQL: \(String(reflecting: error))" }
        return "PostgreSQL \(info[.sqlState] ?? ""): \(info[.message] ?? "")\(info[.detail].map { " (\($0))" } ?? "")"
    }
}
