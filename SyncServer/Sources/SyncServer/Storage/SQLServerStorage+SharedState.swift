import Foundation

/// What every server process on one store shares besides the data: the per-device rate-limit
/// buckets (used when the store is shared by several processes) and the admin web page's
/// sessions. Both are bookkeeping: written outside the change log's ordering, and a crash may
/// lose the last of them without harm (a bucket refills, a session signs in again).
extension SQLServerStorage {
    /// Takes one token from `key`'s bucket (`burst` tokens at most, refilled at `perSecond`);
    /// returns nil when admitted, else the milliseconds until a token is back.
    public func takeRateToken(key: String, now: Int64, burst: Int, perSecond: Double) async throws -> Int64? {
        let capacity = Int64(max(burst, 1)) * 1000
        return try await write(.bookkeeping) { db in
            try await db.execute(
                sql: SharedStateSQL.insertRateBucket,
                arguments: [key, capacity, now]
            )
            guard let row = try await SQLRow.fetchOne(db, sql: SharedStateSQL.rateBucket, arguments: [key]) else {
                return nil
            }
            let stored: Int64 = row["milli_tokens"]
            let updated: Int64 = row["updated_at"]
            // perSecond tokens a second are perSecond milli-tokens a millisecond.
            let refilled = min(Double(capacity), Double(stored) + Double(max(0, now - updated)) * perSecond)
            let admitted = refilled >= 1000
            try await db.execute(
                sql: SharedStateSQL.updateRateBucket,
                arguments: [Int64(admitted ? refilled - 1000 : refilled), max(now, updated), key]
            )
            return admitted ? nil : Int64(((1000 - refilled) / perSecond).rounded(.up))
        }
    }

    public func saveAdminSession(_ session: StoredAdminSession) async throws {
        try await write(.bookkeeping) { db in
            try await db.execute(sql: SharedStateSQL.deleteExpiredSessions, arguments: [session.createdAt])
            try await db.execute(
                sql: SharedStateSQL.insertSession,
                arguments: [session.idHash, session.tokenHash, session.csrf, session.expiresAt]
            )
        }
    }

    public func adminSession(idHash: String, now: Int64) async throws -> StoredAdminSession? {
        try await read { db in
            try await SQLRow.fetchOne(
                db, sql: SharedStateSQL.sessionByID, arguments: [idHash, now]
            ).map { row in
                StoredAdminSession(idHash: idHash, tokenHash: row["token_hash"], csrf: row["csrf"], expiresAt: row["expires_at"], createdAt: now)
            }
        }
    }

    public func endAdminSession(idHash: String) async throws {
        try await write(.bookkeeping) { db in
            try await db.execute(sql: SharedStateSQL.deleteSession, arguments: [idHash])
        }
    }
}

/// One admin web session as the store keeps it: the hash of the random id in the browser's
/// cookie, the hash of the sign-in device's token (never the token), the CSRF token of its
/// forms, and when it ends (milliseconds since 1970).
public struct StoredAdminSession: Sendable, Hashable {
    public var idHash: String
    public var tokenHash: String
    public var csrf: String
    public var expiresAt: Int64
    /// When it was read or made (milliseconds since 1970).
    public var createdAt: Int64

    public init(idHash: String, tokenHash: String, csrf: String, expiresAt: Int64, createdAt: Int64) {
        self.idHash = idHash
        self.tokenHash = tokenHash
        self.csrf = csrf
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}

extension ServerSQL {
    /// Migration v8: the shared bookkeeping tables (both backends).
    static let sharedStateSQL = """
        CREATE TABLE rate_buckets (key TEXT PRIMARY KEY, milli_tokens BIGINT NOT NULL, updated_at BIGINT NOT NULL);
        CREATE TABLE admin_sessions (id_hash TEXT PRIMARY KEY, token_hash TEXT NOT NULL, csrf TEXT NOT NULL, expires_at BIGINT NOT NULL)
        """
}

/// The statements of SQLServerStorage+SharedState.swift, written for each backend (`SQLCatalog`).
enum SharedStateSQL: SQLCatalog {
    case insertRateBucket, rateBucket, updateRateBucket, deleteExpiredSessions, insertSession, sessionByID, deleteSession

    var statement: SQLStatement {
        switch self {
        case .insertRateBucket: "INSERT INTO rate_buckets (key, milli_tokens, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING"
        // The row lock (PostgreSQL) or the single writer (SQLite) orders concurrent takes.
        case .rateBucket:
            SQLStatement(
                sqlite: "SELECT milli_tokens, updated_at FROM rate_buckets WHERE key = $1",
                postgres: "SELECT milli_tokens, updated_at FROM rate_buckets WHERE key = $1 FOR UPDATE"
            )
        case .updateRateBucket: "UPDATE rate_buckets SET milli_tokens = $1, updated_at = $2 WHERE key = $3"
        case .deleteExpiredSessions: "DELETE FROM admin_sessions WHERE expires_at < $1"
        case .insertSession: "INSERT INTO admin_sessions (id_hash, token_hash, csrf, expires_at) VALUES ($1, $2, $3, $4)"
        case .sessionByID: "SELECT token_hash, csrf, expires_at FROM admin_sessions WHERE id_hash = $1 AND expires_at > $2"
        case .deleteSession: "DELETE FROM admin_sessions WHERE id_hash = $1"
        }
    }
}
