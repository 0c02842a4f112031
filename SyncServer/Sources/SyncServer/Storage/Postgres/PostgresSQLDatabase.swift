import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection, inside a transaction, as the `SQLDatabase` the shared storage
/// code runs on.
///
/// The shared statements are written in the SQL both databases understand, with SQLite's `?`
/// / `?N` placeholders and its `json_each` table function; this adapter turns the first into
/// `$N` and the second into `json_array_elements_text`. Values are always bound, never spliced
/// into the text. Each statement suspends its task until PostgreSQL answers: no thread waits.
/// One transaction's statements run one after the other on its task, never concurrently.
final class PostgresSQLDatabase: SQLDatabase {
    let connection: PostgresConnection
    let logger: Logger
    private(set) var changesCount = 0
    var dialect: SQLDialect { .postgres }
    /// When a push entered its commit-ordered tail (`enterCommitOrder`), for the log lock's
    /// statistics.
    private(set) var commitOrderSince: ContinuousClock.Instant?

    func enterCommitOrder() {
        commitOrderSince = ContinuousClock.now
    }

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    func fetchRows(sql: String, values: [SQLValue]) async throws -> [SQLRow] {
        try await run(sql, values).rows.map { row in
            var columns: [String: SQLValue] = [:]
            for cell in row where columns[cell.columnName] == nil {
                columns[cell.columnName] = try Self.value(of: cell)
            }
            return SQLRow(columns: columns)
        }
    }

    func executeStatement(sql: String, values: [SQLValue]) async throws {
        changesCount = try await run(sql, values).metadata.rows ?? 0
    }

    /// The rows and the command tag (for `changesCount`), which the row-sequence API does not
    /// give: the future-based query, awaited without blocking.
    private func run(_ sql: String, _ values: [SQLValue]) async throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null, .typedNull: binds.appendNull()
            case .integer(let integer): binds.append(integer)
            case .text(let text): binds.append(text)
            }
        }
        var nullTypes: [Int: SQLType] = [:]
        for (index, value) in values.enumerated() {
            if case .typedNull(let type) = value { nullTypes[index + 1] = type }
        }
        let query = PostgresQuery(unsafeSQL: Self.translate(sql, nullTypes: nullTypes), binds: binds)
        do {
            return try await connection.query(query, logger: logger).get()
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    // MARK: Dialect

    /// The statement in PostgreSQL's dialect: `?` becomes `$1`, `$2`…, `?N` becomes `$N`, and
    /// `json_each(x)` becomes `json_array_elements_text(CAST(x AS json)) AS json_elements(value)`.
    /// A parameter bound to a NULL of a known type (`nullTypes`, by parameter number) is cast to
    /// that type, since a NULL carries none. Quoted strings and identifiers are copied unchanged.
    static func translate(_ sql: String, nullTypes: [Int: SQLType] = [:]) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var next = 1
        var quote: Character?
        var characters = sql[...]
        while let character = characters.popFirst() {
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                result.append(character)
            case "?":
                let digits = characters.prefix(while: \.isNumber)
                characters = characters.dropFirst(digits.count)
                let number: Int
                if let explicit = Int(digits) {
                    number = explicit
                } else {
                    number = next
                    next += 1
                }
                switch nullTypes[number] {
                case .integer: result += "CAST($\(number) AS BIGINT)"
                case .text: result += "CAST($\(number) AS TEXT)"
                case nil: result += "$\(number)"
                }
            default:
                result.append(character)
            }
        }
        return rewriteJSONEach(result)
    }

    private static func rewriteJSONEach(_ sql: String) -> String {
        let marker = "json_each("
        guard sql.contains(marker) else { return sql }
        var result = ""
        var rest = sql[...]
        while let range = rest.range(of: marker) {
            result += rest[..<range.lowerBound]
            let afterOpen = rest[range.upperBound...]
            // The argument may hold parentheses itself (a cast NULL): find the matching one.
            var depth = 0
            let close = afterOpen.firstIndex { character in
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                return depth < 0
            }
            guard let close else {
                result += rest[range.lowerBound...]
                return result
            }
            result += "json_array_elements_text(CAST(\(afterOpen[..<close]) AS json)) AS json_elements(value)"
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return result + rest
    }
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
