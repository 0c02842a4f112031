import SyncCore

extension SQLServerStorage {
    public func loggedChanges(of entities: [String]) async throws -> [Change] {
        guard !entities.isEmpty else { return [] }
        let places = Array(repeating: "?", count: entities.count).joined(separator: ", ")
        return try await read { db in
            try await String.fetchAll(db, sql: "SELECT change FROM change_log WHERE entity IN (\(places)) ORDER BY seq", arguments: entities)
                .map { try ServerJSON.decode(Change.self, from: $0) }
        }
    }
}
