import GRDB
import SyncCore

extension DeviceStore {
    /// Every change this device holds in the history of records of `entities`, entity by
    /// entity, oldest first: what reports read to see the records as of a past day.
    public func historyChanges(of entities: [String]) throws -> [Change] {
        // One pass over the history (it has no index by entity), grouped entity by entity.
        let rows = try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT entity, change FROM history WHERE entity IN (\(databaseQuestionMarks(count: entities.count))) AND dropped IS NULL ORDER BY seq",
                arguments: StatementArguments(entities)
            )
        }
        var byEntity: [String: [Change]] = [:]
        for row in rows {
            byEntity[row[0], default: []].append(try Self.decode(Change.self, row[1]))
        }
        return entities.flatMap { byEntity.removeValue(forKey: $0) ?? [] }
    }
}
