import PostgresNIO

/// The statements every push runs, prepared by PostgreSQL once per connection: postgres-nio's
/// `PostgresPreparedStatement` parses, describes and plans each on a connection's first use
/// (one round trip more, once) and from then on only binds and executes it, where a statement
/// sent as text is parsed and planned again at every run. Either way a run is one round trip:
/// preparing saves PostgreSQL's parse and plan, not a round trip.
///
/// postgres-nio names a prepared statement after its Swift type, so each statement here is a
/// type (`Prepared`) over a marker naming its catalog case. Only queries are prepared (their
/// row count is what `changesCount` reports), and only statements whose values are never NULL:
/// a prepared statement's parameter types are those of its first bound values.
enum PostgresPreparedStatements {
    /// A statement of a catalog that PostgreSQL prepares.
    protocol Marker: Sendable {
        static var statement: SQLStatement { get }
    }

    enum LogLock: Marker { static var statement: SQLStatement { PostgresSQL.sharedLogLock.statement } }
    enum ExclusiveMergeLocks: Marker { static var statement: SQLStatement { MergeLockSQL.exclusive.statement } }
    enum SharedMergeLocks: Marker { static var statement: SQLStatement { MergeLockSQL.shared.statement } }
    enum Admissions: Marker { static var statement: SQLStatement { PushBatchSQL.admissions.statement } }
    enum RecordFacts: Marker { static var statement: SQLStatement { PushBatchSQL.recordFacts.statement } }
    enum KeyHolders: Marker { static var statement: SQLStatement { PushBatchSQL.keyHolders.statement } }
    enum Write: Marker { static var statement: SQLStatement { PushBatchSQL.write.statement } }

    /// Each prepared statement by its PostgreSQL text.
    static let byText: [String: any Marker.Type] = {
        let markers: [any Marker.Type] = [
            LogLock.self, ExclusiveMergeLocks.self, SharedMergeLocks.self, Admissions.self, RecordFacts.self, KeyHolders.self,
            Write.self,
        ]
        var byText: [String: any Marker.Type] = [:]
        for marker in markers {
            if let text = marker.statement.postgres { byText[text] = marker }
        }
        return byText
    }()

    /// One run of the statement `Statement` names, with its values.
    struct Prepared<Statement: Marker>: PostgresPreparedStatement {
        typealias Row = PostgresRow

        static var sql: String { Statement.statement.postgres ?? "" }
        static var name: String { "fieldsync.\(String(describing: Statement.self))" }

        var values: [SQLValue]

        func makeBindings() throws -> PostgresBindings {
            PostgresSQLDatabase.bindings(values)
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow {
            row
        }
    }
}
