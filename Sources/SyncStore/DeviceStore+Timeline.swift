import GRDB
import SyncCore

extension DeviceStore {
    /// Every change this device holds in the history of records of `entities`, oldest first:
    /// what reports read to see the records as of a past day.
    public func historyChanges(of entities: [String]) throws -> [Change] {
        guard !entities.isEmpty else { return [] }
        let places = Array(repeating: "?", count: entities.count).joined(separator: ", ")
        return try database.read { db in
            try String.fetchAll(
                db, sql: "SELECT change FROM history WHERE entity IN (\(places)) AND dropped IS NULL ORDER BY seq", arguments: StatementArguments(entities)
            ).map { try Self.decode(Change.self, $0) }
        }
    }
}
