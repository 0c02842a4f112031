import SyncCore

/// What a watching device is told (`LiveNews`): whether the log has news in its scope.
extension SQLServerStorage {
    public func newsPosition() async throws -> LogSequence {
        let published = try await publishedLogLimit()
        return try await read { db in try await Self.publishedHighWater(db, limit: published) }
    }

    public func hasNews(after: LogSequence, through: LogSequence, scope: AccessScope, excluding replica: ReplicaID) async throws -> Bool {
        guard through > after else { return false }
        return try await read { db in
            let found: Int64?
            if let territories = scope.sortedTerritories {
                found = try await Int64.fetchOne(
                    db, sql: NewsSQL.scopedNews,
                    arguments: [try ServerJSON.encodeString(territories), after, through, replica.rawValue]
                )
            } else {
                found = try await Int64.fetchOne(db, sql: NewsSQL.news, arguments: [after, through, replica.rawValue])
            }
            return found != nil
        }
    }
}

/// The statements of SQLServerStorage+News.swift, written for each backend (`SQLCatalog`).
enum NewsSQL: SQLCatalog {
    case news, scopedNews

    var statement: SQLStatement {
        switch self {
        case .news: "SELECT 1 FROM change_log WHERE seq > $1 AND seq <= $2 AND replica <> $3 LIMIT 1"
        case .scopedNews: Self.scopedNewsStatement
        }
    }

    /// An entry after $2 up to $3, not written by $4, that the territories $1 (a JSON array)
    /// see: reference data, or a record in the scope before or after it (the pull then
    /// delivers it, or evicts or sends the record; `ScopeSQL.scopedLog` decides which).
    private static let scopedNewsStatement = SQLStatement { dialect in
        """
        WITH scope(territory) AS (SELECT value FROM \(dialect.jsonElements("$1")))
        SELECT 1 FROM change_log l
        WHERE l.seq > $2 AND l.seq <= $3 AND l.replica <> $4
            AND (l.scope_global = 1
                 OR l.scope_before IN (SELECT territory FROM scope)
                 OR l.scope_after IN (SELECT territory FROM scope))
        LIMIT 1
        """
    }
}
