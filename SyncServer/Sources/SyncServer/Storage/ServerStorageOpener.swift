import Logging

/// Opens the store a configuration names: PostgreSQL when it has a `postgresURL`, else the
/// SQLite file at `databasePath`. Either way the schema is migrated before it returns.
public enum ServerStorageOpener {
    public static func open(_ configuration: ServerConfiguration, logger: Logger) async throws -> any ServerStorage {
        if let url = configuration.postgresURL {
            return try await PostgresServerStorage(url: url, logger: logger)
        }
        return try SQLiteServerStorage(path: configuration.databasePath, logger: logger)
    }

    /// Where the store is, for logs (the PostgreSQL password left out).
    public static func describe(_ configuration: ServerConfiguration) -> String {
        configuration.postgresURL.map(PostgresURL.redacted) ?? configuration.databasePath
    }
}
