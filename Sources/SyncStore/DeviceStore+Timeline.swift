import GRDB
import SyncCore

extension DeviceStore {
    /// Every change this device holds in the history of records of `entities`, entity by
    /// entity, oldest first: what reports read to see the records as of a past day.
    public func historyChanges(of entities: [String]) throws -> [Change] {
        try database.read { db in
            try entities.flatMap { entity in
                try String.fetchAll(db, sql: "SELECT change FROM history WHERE entity = ? AND dropped IS NULL ORDER BY seq", arguments: [entity])
                    .map { try Self.decode(Change.self, $0) }
            }
        }
    }
}
