import SyncCore

extension SQLServerStorage {
    public func loggedChanges(of entities: [String]) async throws -> [Change] {
        try await read { db in
            var changes: [Change] = []
            for entity in entities {
                changes += try await String.fetchAll(db, sql: AdminSQL.changesOfEntity, arguments: [entity])
                    .map { try ServerJSON.decode(Change.self, from: $0) }
            }
            return changes
        }
    }
}
